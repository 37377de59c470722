package aha.problems.gen;

import aha.problems.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-step word problems in the style of GSM8K, from eight templates: shopping, ages, travel,
 * sharing, earnings, reading, recipes and a store's stock. Every solution line has the same shape,
 * {@code "<what>: <arithmetic> = <number>"}, and the level sets both the number of steps (one at level
 * 1, four or five at level 5) and the size of the numbers.
 */
final class WordFamily implements ProblemFamily {
  static final String NAME = "word";

  private record Person(String name, String he, String his) {}

  private static final List<Person> PEOPLE =
      List.of(
          new Person("Mia", "she", "her"), new Person("Noah", "he", "his"),
          new Person("Ava", "she", "her"), new Person("Liam", "he", "his"),
          new Person("Zoe", "she", "her"), new Person("Omar", "he", "his"),
          new Person("Lena", "she", "her"), new Person("Ravi", "he", "his"),
          new Person("Sofia", "she", "her"), new Person("Ben", "he", "his"),
          new Person("Chloe", "she", "her"), new Person("Tariq", "he", "his"),
          new Person("Emma", "she", "her"), new Person("Kenji", "he", "his"),
          new Person("Nora", "she", "her"), new Person("Diego", "he", "his"));

  private static final List<String> GOODS =
      List.of("notebooks", "pens", "apples", "sandwiches", "tickets", "toy cars", "books", "candles",
          "mugs", "plants");
  private static final List<String> VEHICLES = List.of("car", "train", "bus", "truck", "boat");
  private static final List<String> TREATS =
      List.of("cookies", "muffins", "marbles", "stickers", "pencils", "cards");
  private static final List<Long> BILLS = List.of(5L, 10L, 20L, 50L, 100L, 200L, 500L, 1000L, 2000L, 5000L);
  private static final List<String> STOCK = List.of("apples", "oranges", "lemons", "eggs", "rolls");

  /** The lines of a solution; each one computes and returns a number. */
  private static final class Work {
    final Steps steps = new Steps();
    long last;

    long op(String what, long a, char op, long b) {
      return line(what, a + " " + op + " " + b, IntegerExpression.apply(op, a, b));
    }

    long line(String what, String arithmetic, long value) {
      steps.add(what + ": " + arithmetic + " = " + value);
      last = value;
      return value;
    }

    long sum(String what, long... xs) {
      long total = 0;
      StringBuilder text = new StringBuilder(what).append(": ");
      for (int i = 0; i < xs.length; i++) {
        text.append(i == 0 ? "" : " + ").append(xs[i]);
        total += xs[i];
      }
      steps.add(text.append(" = ").append(total).toString());
      last = total;
      return total;
    }
  }

  private interface Template {
    /** Writes the solution into work and returns the question. */
    String write(Rng rng, int difficulty, Work work);
  }

  private static final List<Template> TEMPLATES =
      List.of(
          WordFamily::shopping,
          WordFamily::ages,
          WordFamily::travel,
          WordFamily::sharing,
          WordFamily::earnings,
          WordFamily::reading,
          WordFamily::recipe,
          WordFamily::store);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "multi-step word problems (shopping, ages, travel, sharing, earnings, reading, recipes, stock)";
  }

  @Override
  public Problem generate(int difficulty, long problemSeed, String id) {
    Steps.checkDifficulty(difficulty);
    Rng rng = new Rng(problemSeed);
    Work work = new Work();
    Template template = rng.pick(TEMPLATES);
    String question = template.write(rng, difficulty, work);
    return work.steps.numeric(NAME, difficulty, problemSeed, id, question, Steps.num(work.last));
  }

  /** "1 hour", "3 hours". */
  private static String count(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private static String cap(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static Person[] people(Rng rng, int n) {
    Person[] out = new Person[n];
    for (int i = 0; i < n; i++) {
      Person p;
      boolean taken;
      do {
        p = rng.pick(PEOPLE);
        taken = false;
        for (int j = 0; j < i; j++) {
          taken |= out[j] == p;
        }
      } while (taken);
      out[i] = p;
    }
    return out;
  }

  private static String shopping(Rng rng, int d, Work work) {
    Person p = rng.pick(PEOPLE);
    int kinds = d == 1 ? 1 : d <= 3 ? 2 : 3;
    int maxQty = d <= 2 ? 6 : 12;
    int maxPrice = new int[] {9, 15, 20, 40, 99}[d - 1];
    String[] goods = distinct(rng, GOODS, kinds);
    long[] costs = new long[kinds];
    StringBuilder q = new StringBuilder(p.name).append(" buys ");
    for (int i = 0; i < kinds; i++) {
      long qty = rng.between(2, maxQty);
      long price = rng.between(1, maxPrice);
      q.append(i == 0 ? "" : i == kinds - 1 ? " and " : ", ")
          .append(qty).append(' ').append(goods[i]).append(" for $").append(price).append(" each");
      costs[i] = work.op(cap(goods[i]), qty, '*', price);
    }
    q.append('.');
    long sum = kinds == 1 ? costs[0] : work.sum("Total", costs);
    if (d < 3) {
      return q.append(" How many dollars does ").append(p.name).append(" spend?").toString();
    }
    if (d == 5) {
      long coupon = rng.between(1, (int) Math.min(10, sum - 1));
      q.append(' ').append(cap(p.he)).append(" has a coupon for $").append(coupon).append(" off the total.");
      sum = work.op("After the coupon", sum, '-', coupon);
    }
    long total = sum;
    long bill = BILLS.stream().filter(b -> b > total).findFirst().orElseThrow();
    work.op("Change", bill, '-', total);
    return q.append(' ').append(cap(p.he)).append(" pays with a $").append(bill)
        .append(" bill. How many dollars of change does ").append(p.he).append(" get?").toString();
  }

  private static String ages(Rng rng, int d, Work work) {
    Person[] ps = people(rng, 3);
    String a = ps[0].name;
    String b = ps[1].name;
    String c = ps[2].name;
    switch (d) {
      case 1 -> {
        long age = rng.between(2, 15);
        long more = rng.between(1, 20);
        work.op(b + "'s age", age, '+', more);
        return a + " is " + age + " years old. " + b + " is " + more + " years older than " + a
            + ". How old is " + b + "?";
      }
      case 2 -> {
        long age = rng.between(2, 12);
        long k = rng.between(2, 4);
        long n = rng.between(1, 10);
        long now = work.op(b + " now", age, '*', k);
        work.op(b + " in " + n + " years", now, '+', n);
        return a + " is " + age + " years old. " + b + " is " + k + " times as old as " + a
            + ". How old will " + b + " be in " + n + " years?";
      }
      case 3 -> {
        long age = rng.between(3, 15);
        long k = rng.between(2, 5);
        long bAge = work.op(b, age, '*', k);
        long m = rng.between(1, (int) bAge - 1);
        long cAge = work.op(c, bAge, '-', m);
        work.sum("Sum", age, bAge, cAge);
        return a + " is " + age + " years old. " + b + " is " + k + " times as old as " + a + ", and " + c
            + " is " + m + " years younger than " + b + ". What is the sum of their three ages?";
      }
      default -> {
        long age = rng.between(2, d == 4 ? 15 : 25);
        long k = rng.between(2, d == 4 ? 5 : 7);
        long n = rng.between(2, 12);
        long sumNow = age * (k + 1);
        String question;
        if (d == 4) {
          question = b + " is " + k + " times as old as " + a + ". The sum of their ages is " + sumNow
              + ". How old is " + b + "?";
        } else {
          long later = sumNow + 2 * n;
          question = b + " is " + k + " times as old as " + a + ". In " + n
              + " years, the sum of their ages will be " + later + ". How old is " + b + " now?";
          work.line("Sum now", later + " - 2 * " + n, sumNow);
        }
        long parts = work.op("Parts", 1, '+', k);
        long aAge = work.op(a, sumNow, '/', parts);
        work.op(b, aAge, '*', k);
        return question;
      }
    }
  }

  private static String travel(Rng rng, int d, Work work) {
    String v = "A " + rng.pick(VEHICLES);
    int maxSpeed = 4 + 2 * d; // in steps of 5 km per hour
    int maxHours = 2 + d;
    long s1 = 5L * rng.between(2, maxSpeed);
    long h1 = rng.between(1, maxHours);
    long s2 = 5L * rng.between(2, maxSpeed);
    long h2 = rng.between(1, maxHours);
    switch (d) {
      case 1 -> {
        work.op("Distance", s1, '*', h1);
        return v + " travels at " + s1 + " km per hour for " + count(h1, "hour")
            + ". How many kilometers does it travel?";
      }
      case 2 -> {
        long first = work.op("First part", s1, '*', h1);
        long second = work.op("Second part", s2, '*', h2);
        work.sum("Total", first, second);
        return v + " travels at " + s1 + " km per hour for " + count(h1, "hour") + ", then at " + s2
            + " km per hour for " + count(h2, "hour") + ". How many kilometers does it travel in total?";
      }
      case 3 -> {
        long total = s1 * h1 + s2 * h2;
        long first = work.op("First part", s1, '*', h1);
        long left = work.op("Left", total, '-', first);
        work.op("Hours", left, '/', s2);
        return v + " must travel " + total + " km. It goes at " + s1 + " km per hour for " + count(h1, "hour")
            + ", then at " + s2 + " km per hour for the rest. How many hours does the rest take?";
      }
      case 4 -> {
        long avg = 5L * rng.between(4, maxSpeed);
        long time = h1 + h2;
        long distance = avg * time;
        // the first leg roughly at the average pace, so that the legs look like one trip
        long d1 = rng.between((int) Math.max(1, avg * h1 / 2), (int) Math.min(distance - 1, avg * h1 * 3 / 2));
        long sum = work.sum("Distance", d1, distance - d1);
        long hours = work.sum("Time", h1, h2);
        work.op("Average speed", sum, '/', hours);
        return v + " travels " + d1 + " km in " + count(h1, "hour") + ", then " + (distance - d1) + " km in "
            + count(h2, "hour") + ". What is its average speed in km per hour?";
      }
      default -> {
        long h3 = rng.between(1, maxHours);
        long s3 = 5L * rng.between(2, maxSpeed);
        long time = h1 + h2 + h3;
        long known = s1 * h1 + s3 * h3;
        // the average is a whole number above what the first and third legs alone give
        long avg = known / time + rng.between(1, 20);
        long d2 = avg * time - known;
        long first = work.op("First part", s1, '*', h1);
        long third = work.op("Third part", s3, '*', h3);
        long sum = work.sum("Distance", first, d2, third);
        long hours = work.sum("Time", h1, h2, h3);
        work.op("Average speed", sum, '/', hours);
        return v + " travels at " + s1 + " km per hour for " + count(h1, "hour") + ", then " + d2 + " km in "
            + count(h2, "hour") + ", then at " + s3 + " km per hour for " + count(h3, "hour")
            + ". What is its average speed in km per hour for the whole trip?";
      }
    }
  }

  private static String sharing(Rng rng, int d, Work work) {
    Person p = rng.pick(PEOPLE);
    String things = rng.pick(TREATS);
    long friends = rng.between(d == 5 ? 3 : 2, d <= 2 ? 6 : 9);
    if (d == 1) {
      long each = rng.between(1, 12);
      work.op("Each friend", each * friends, '/', friends);
      return p.name + " has " + each * friends + " " + things + " and shares them equally among " + friends
          + " friends. How many " + things + " does each friend get?";
    }
    long bags;
    long per;
    long away; // what does not go to the friends; leaves a multiple of friends, at least one each
    long least = d == 3 ? 1 : 2;
    do {
      bags = rng.between(2, d <= 3 ? 9 : 20);
      per = rng.between(2, d <= 3 ? 12 : 30);
      away = (bags * per) % friends;
      while (away < least) {
        away += friends;
      }
    } while (d > 2 && bags * per - away < friends);
    long total = bags * per;
    if (d > 2) {
      away += friends * rng.between(0, (int) ((total - away) / friends - 1));
    }
    String start = p.name + " has " + bags + " bags with " + per + " " + things + " in each. ";
    long all = work.op("Total", bags, '*', per);
    if (d == 2) {
      // share among a number of friends that divides the total, preferably not the number of bags
      List<Long> divisors = new ArrayList<>();
      for (long f = 2; f <= 12; f++) {
        if (total % f == 0 && f != bags) {
          divisors.add(f);
        }
      }
      friends = divisors.isEmpty() ? bags : rng.pick(divisors);
      work.op("Each friend", all, '/', friends);
      return start + cap(p.he) + " shares them equally among " + friends + " friends. How many " + things
          + " does each friend get?";
    }
    if (d == 3) {
      long rest = work.op("Rest", all, '-', away);
      work.op("Each friend", rest, '/', friends);
      return start + cap(p.he) + " keeps " + away + " for " + (p.he.equals("she") ? "herself" : "himself")
          + " and shares the rest equally among " + friends + " friends. How many " + things
          + " does each friend get?";
    }
    long eaten = rng.between(1, (int) Math.min(5, away - 1));
    long given = away - eaten;
    long gone = work.sum("Given away and eaten", given, eaten);
    long rest = work.op("Rest", all, '-', gone);
    long share = work.op("Each friend", rest, '/', friends);
    String question = start + cap(p.he) + " gives away " + given + ", eats " + eaten
        + " and shares the rest equally among " + friends + " friends.";
    if (d == 4) {
      return question + " How many " + things + " does each friend get?";
    }
    long some = rng.between(2, (int) friends - 1);
    work.op("Together", share, '*', some);
    return question + " How many " + things + " do " + some + " of the friends get together?";
  }

  private static String earnings(Rng rng, int d, Work work) {
    Person p = rng.pick(PEOPLE);
    long rate = rng.between(5, 10 + 5 * d);
    long hours = rng.between(2, 8);
    switch (d) {
      case 1 -> {
        work.op("Earned", rate, '*', hours);
        return p.name + " earns $" + rate + " per hour and works " + hours + " hours. How many dollars does "
            + p.he + " earn?";
      }
      case 2, 3 -> {
        long days = rng.between(2, 6);
        long perDay = work.op("Per day", rate, '*', hours);
        long total = work.op("Total", perDay, '*', days);
        String q = p.name + " earns $" + rate + " per hour and works " + hours + " hours a day for " + days
            + " days.";
        if (d == 2) {
          return q + " How many dollars does " + p.he + " earn?";
        }
        long spent = rng.between(1, (int) total - 1);
        work.op("Left", total, '-', spent);
        return q + " Then " + p.he + " spends $" + spent + ". How many dollars does " + p.he + " have left?";
      }
      default -> {
        long weekly;
        long spend;
        String income;
        long saved = rng.between(5, 40 * d);
        if (d == 4) {
          long earn = rng.between(20, 80);
          spend = rng.between(1, (int) earn - 5);
          income = "earns $" + earn + " a week and spends $" + spend + " of it";
          weekly = earn;
        } else {
          weekly = rate * hours;
          spend = rng.between(1, (int) weekly - 5);
          income = "earns $" + rate + " per hour for " + hours + " hours a week and spends $" + spend
              + " a week";
        }
        long weeks = rng.between(2, 12);
        long price = saved + (weekly - spend) * weeks;
        if (d == 5) {
          weekly = work.op("Earned per week", rate, '*', hours);
        }
        long net = work.op("Saved per week", weekly, '-', spend);
        long needed = work.op("Still needed", price, '-', saved);
        work.op("Weeks", needed, '/', net);
        return p.name + " wants a bike that costs $" + price + ". " + cap(p.he) + " has $" + saved
            + " saved, " + income + ". How many weeks until " + p.he + " can buy the bike?";
      }
    }
  }

  private static String reading(Rng rng, int d, Work work) {
    Person p = rng.pick(PEOPLE);
    long p1 = rng.between(5, 10 + 5 * d);
    long n1 = rng.between(2, 4 + d);
    switch (d) {
      case 1 -> {
        long read = rng.between(5, 60);
        long pages = read + rng.between(10, 90);
        work.op("Left", pages, '-', read);
        return "A book has " + pages + " pages. " + p.name + " has read " + read
            + " pages. How many pages are left?";
      }
      case 2, 3 -> {
        long read = work.op(d == 2 ? "Read" : "First days", p1, '*', n1);
        String q = p.name + " reads " + p1 + " pages a day for " + n1 + " days";
        if (d == 3) {
          long p2 = rng.between(5, 30);
          long n2 = rng.between(2, 6);
          long more = work.op("Next days", p2, '*', n2);
          read = work.sum("Read", read, more);
          q += ", then " + p2 + " pages a day for " + n2 + " days";
        }
        long pages = read + rng.between(10, 100);
        work.op("Left", pages, '-', read);
        return "A book has " + pages + " pages. " + q + ". How many pages are left?";
      }
      default -> {
        long p2 = rng.between(5, 40);
        long days = rng.between(2, 10);
        long total = p1 * n1 + p2 * days;
        String books;
        if (d == 5) {
          long first = rng.between((int) total / 4, (int) total * 3 / 4);
          books = p.name + " has two books with " + first + " and " + (total - first) + " pages.";
          work.sum("Pages", first, total - first);
        } else {
          books = "A book has " + total + " pages.";
        }
        long read = work.op("Read", p1, '*', n1);
        long left = work.op("Left", total, '-', read);
        work.op("Days", left, '/', p2);
        return books + " " + p.name + " reads " + p1 + " pages a day for " + n1 + " days, then " + p2
            + " pages a day. How many more days does " + p.he + " need to finish "
            + (d == 5 ? "both books?" : "the book?");
      }
    }
  }

  private static String recipe(Rng rng, int d, Work work) {
    Person p = rng.pick(PEOPLE);
    String item = rng.pick("cookies", "pancakes", "muffins", "rolls");
    if (d == 1) {
      long eggs = rng.between(2, 6);
      long cakes = rng.between(2, 9);
      work.op("Eggs", eggs, '*', cakes);
      return "A cake needs " + eggs + " eggs. How many eggs are needed for " + cakes + " cakes?";
    }
    long batch = rng.between(2, 6) * (d <= 3 ? 4L : 6L);
    long batches = rng.between(2, d <= 3 ? 6 : 12);
    long flour = rng.between(1, d <= 3 ? 5 : 9);
    long sugar = rng.between(1, d <= 3 ? 4 : 8);
    long wanted = batch * batches;
    String start = "A recipe uses " + count(flour, "cup") + " of flour";
    long k = work.op("Batches", wanted, '/', batch);
    long f = work.op("Flour", flour, '*', k);
    if (d == 2) {
      return start + " for " + batch + " " + item + ". How many cups of flour are needed for " + wanted + " "
          + item + "?";
    }
    if (d == 4) {
      long has = rng.between(1, (int) f - 1);
      work.op("To buy", f, '-', has);
      return start + " for " + batch + " " + item + ". " + p.name + " wants to make " + wanted + " " + item
          + " and has " + count(has, "cup") + " of flour. How many more cups of flour does " + p.he + " need?";
    }
    long s = work.op("Sugar", sugar, '*', k);
    long together = work.sum("Together", f, s);
    start += " and " + count(sugar, "cup") + " of sugar for " + batch + " " + item + ". ";
    if (d == 3) {
      return start + "How many cups of flour and sugar together are needed for " + wanted + " " + item + "?";
    }
    long has = rng.between(1, (int) together - 1);
    work.op("To buy", together, '-', has);
    return start + p.name + " wants to make " + wanted + " " + item + " and has " + count(has, "cup")
        + " of flour and sugar in all. How many more cups does " + p.he + " need?";
  }

  private static String store(Rng rng, int d, Work work) {
    String things = rng.pick(STOCK);
    long morning = rng.between(3, 10 + 10 * d);
    if (d == 1) {
      long stock = morning + rng.between(1, 50);
      work.op("Left", stock, '-', morning);
      return "A store has " + stock + " " + things + ". It sells " + morning + " of them. How many " + things
          + " are left?";
    }
    long k = rng.between(2, 4);
    long afternoon = d == 2 ? rng.between(3, 30) : morning * k;
    long boxes = rng.between(2, 9);
    long perBox = rng.between(6, 24);
    long stock = morning + afternoon + rng.between(5, 40 * d);
    long bag = rng.between(3, 12);
    if (d == 5) {
      // top up the stock so that everything fits in whole bags
      long end = stock - morning - afternoon + boxes * perBox;
      stock += (bag - end % bag) % bag;
    }
    String q = "A store has " + stock + " " + things + ". It sells " + morning + " in the morning and ";
    if (d == 2) {
      long sold = work.sum("Sold", morning, afternoon);
      work.op("Left", stock, '-', sold);
      return q + afternoon + " in the afternoon. How many " + things + " are left?";
    }
    work.op("Afternoon", morning, '*', k);
    long sold = work.sum("Sold", morning, afternoon);
    long left = work.op("Left", stock, '-', sold);
    q += k + " times as many in the afternoon. ";
    if (d == 3) {
      long more = rng.between(5, 60);
      work.op("Now", left, '+', more);
      return q + "Then a delivery brings " + more + " more. How many " + things + " does the store have now?";
    }
    long delivered = work.op("Delivered", boxes, '*', perBox);
    long now = work.sum("Now", left, delivered);
    q += "Then a delivery brings " + boxes + " boxes of " + perBox + " " + things + ". ";
    if (d == 4) {
      return q + "How many " + things + " does the store have now?";
    }
    work.op("Bags", now, '/', bag);
    return q + "It packs all of them into bags of " + bag + ". How many bags does it fill?";
  }

  private static String[] distinct(Rng rng, List<String> from, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      String s;
      boolean taken;
      do {
        s = rng.pick(from);
        taken = false;
        for (int j = 0; j < i; j++) {
          taken |= out[j].equals(s);
        }
      } while (taken);
      out[i] = s;
    }
    return out;
  }
}

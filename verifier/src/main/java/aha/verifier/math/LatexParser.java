package aha.verifier.math;

import aha.verifier.budget.Budget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for the LaTeX subset of answers. Precedence, loosest first:
 *
 * <pre>
 * answer   := relation (',' relation)*          a bare list when there are commas
 * relation := union ('=' union)*
 * union    := sum ('\cup' sum)*
 * sum      := product (('+' | '-') product)*
 * product  := signed (('*' | '\cdot' | '\times' | '/' | '\div') signed | implicit power)*
 * signed   := ('-' | '+') signed | power
 * power    := postfix ('^' signed-power)?       right associative
 * postfix  := primary ('!' | '%')*
 * </pre>
 *
 * <p>Conventions where LaTeX and plain text disagree: {@code \frac12} and {@code \sqrt2} take one
 * character as LaTeX does, but {@code 2^10} is 2¹⁰ as written in plain text (a LaTeX author who
 * means 2¹·0 writes it otherwise). Two numbers side by side ({@code 2 3}) are an error, not a
 * product: a separator was lost. Every descent counts towards the nesting cap, so hostile nesting
 * fails with a cap reason long before the Java stack is at risk.
 */
final class LatexParser {
  private static final Set<String> GREEK =
      Set.of(
          "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
          "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon",
          "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
          "Sigma", "Phi", "Psi", "Omega");
  private static final Set<String> FUNCTIONS =
      Set.of(
          "ln", "exp", "sin", "cos", "tan", "log", "sec", "csc", "cot", "arcsin", "arccos", "arctan",
          "max", "min", "gcd", "lcm");

  /** Functions of a list, {@code \max(1, 2, 3)}: their argument is the list. */
  static final Set<String> LIST_FUNCTIONS = Set.of("max", "min", "gcd", "lcm");
  private static final Set<String> FACTOR_COMMANDS =
      Set.of("frac", "sqrt", "binom", "pi", "infty", "langle");

  private final List<Token> tokens;
  private final Budget budget;
  private int position;
  private int depth;

  private LatexParser(List<Token> tokens, Budget budget) {
    this.tokens = tokens;
    this.budget = budget;
  }

  /**
   * Parses a whole answer.
   *
   * @param listContext true for sets, tuples and intervals: plain commas separate items and never
   *     group digits, and "or"/"and" separate items too
   * @throws AnswerParseException when the text is outside the subset
   * @throws aha.verifier.budget.BudgetExceededException when a cap or the deadline is hit
   */
  static Expr parse(String text, boolean listContext, Budget budget) {
    budget.require("input length", text.length(), budget.limits().maxInputChars());
    String normalized = LatexNormalizer.normalize(text, listContext);
    if (normalized.isEmpty()) {
      throw new AnswerParseException("empty answer");
    }
    List<Token> tokens = LatexLexer.tokenize(normalized, !listContext, budget);
    LatexParser parser = new LatexParser(tokens, budget);
    List<Expr> items = parser.items();
    if (parser.peek().type() != Token.Type.END) {
      throw new AnswerParseException("unexpected " + parser.peek());
    }
    return items.size() == 1 ? items.get(0) : new Expr.Group('\0', '\0', items);
  }

  private Token peek() {
    return tokens.get(position);
  }

  private Token next() {
    Token token = tokens.get(position);
    if (token.type() != Token.Type.END) {
      position++;
    }
    return token;
  }

  private boolean acceptSymbol(String symbol) {
    if (peek().isSymbol(symbol)) {
      position++;
      return true;
    }
    return false;
  }

  private void expectSymbol(String symbol) {
    if (!acceptSymbol(symbol)) {
      throw new AnswerParseException("expected '" + symbol + "' but found " + peek());
    }
  }

  private void enter() {
    depth++;
    budget.require("nesting", depth, budget.limits().maxNesting());
    budget.check();
  }

  private void leave() {
    depth--;
  }

  private List<Expr> items() {
    enter();
    List<Expr> items = new ArrayList<>(2);
    items.add(relation());
    while (acceptSymbol(",")) {
      budget.check();
      items.add(relation());
    }
    leave();
    return items;
  }

  private Expr relation() {
    Expr first = union();
    if (!peek().isSymbol("=")) {
      return first;
    }
    List<Expr> sides = new ArrayList<>(List.of(first));
    while (acceptSymbol("=")) {
      budget.check();
      sides.add(union());
    }
    return new Expr.Equation(sides);
  }

  private Expr union() {
    Expr first = sum();
    if (!peek().isCommand("cup")) {
      return first;
    }
    List<Expr> parts = new ArrayList<>(List.of(first));
    while (peek().isCommand("cup")) {
      budget.check();
      next();
      parts.add(sum());
    }
    return new Expr.Union(parts);
  }

  private Expr sum() {
    Expr first = product();
    if (!peek().isSymbol("+") && !peek().isSymbol("-")) {
      return first;
    }
    List<Expr.Term> terms = new ArrayList<>();
    terms.add(new Expr.Term(false, first));
    while (peek().isSymbol("+") || peek().isSymbol("-")) {
      budget.check();
      boolean subtracted = next().text().equals("-");
      terms.add(new Expr.Term(subtracted, product()));
    }
    return new Expr.Sum(terms);
  }

  private Expr product() {
    Expr first = signed();
    List<Expr.Factor> factors = null;
    Expr previous = first;
    while (true) {
      budget.check();
      Token token = peek();
      Expr.Operator operator;
      Expr operand;
      if (token.isSymbol("*") || token.isCommand("cdot") || token.isCommand("times")) {
        next();
        operator = Expr.Operator.TIMES;
        operand = signed();
      } else if (token.isSymbol("/") || token.isCommand("div")) {
        next();
        operator = Expr.Operator.DIVIDE;
        operand = signed();
      } else if (startsImplicitFactor(token)) {
        if (token.type() == Token.Type.NUMBER && endsWithNumber(previous)) {
          throw new AnswerParseException("two numbers side by side");
        }
        operator = Expr.Operator.IMPLICIT;
        operand = power();
      } else {
        break;
      }
      if (factors == null) {
        factors = new ArrayList<>();
        factors.add(new Expr.Factor(Expr.Operator.TIMES, first));
      }
      factors.add(new Expr.Factor(operator, operand));
      previous = operand;
    }
    return factors == null ? first : new Expr.Product(factors);
  }

  private static boolean endsWithNumber(Expr expr) {
    return expr instanceof Expr.Num
        || (expr instanceof Expr.Negate n && endsWithNumber(n.operand()))
        || (expr instanceof Expr.Percent p && endsWithNumber(p.operand()));
  }

  private static boolean startsImplicitFactor(Token token) {
    return switch (token.type()) {
      case NUMBER, LETTER -> true;
      case SYMBOL -> token.text().equals("(") || token.text().equals("[");
      case COMMAND ->
          FACTOR_COMMANDS.contains(token.text())
              || GREEK.contains(token.text())
              || FUNCTIONS.contains(token.text());
      default -> false;
    };
  }

  private Expr signed() {
    if (peek().isSymbol("-")) {
      next();
      enter();
      Expr operand = signed();
      leave();
      return new Expr.Negate(operand);
    }
    if (peek().isSymbol("+")) {
      next();
      enter();
      Expr operand = signed();
      leave();
      return operand;
    }
    return power();
  }

  private Expr power() {
    Expr base = postfix();
    if (!acceptSymbol("^")) {
      return base;
    }
    enter();
    Expr exponent = signed();
    leave();
    return postfixOperators(new Expr.Power(base, exponent));
  }

  private Expr postfix() {
    return postfixOperators(primary());
  }

  private Expr postfixOperators(Expr operand) {
    while (true) {
      budget.check();
      if (acceptSymbol("!")) {
        operand = new Expr.Factorial(operand);
      } else if (acceptSymbol("%")) {
        operand = new Expr.Percent(operand);
      } else {
        return operand;
      }
    }
  }

  private Expr primary() {
    Token token = next();
    switch (token.type()) {
      case NUMBER:
        return number(token);
      case LETTER:
        return letter(token);
      case SYMBOL:
        if (token.text().equals("(") || token.text().equals("[")) {
          return bracketed(token.text().charAt(0));
        }
        if (token.text().equals("{")) {
          return braced();
        }
        if (token.text().equals("|")) {
          return absolute("|");
        }
        throw new AnswerParseException("unexpected '" + token.text() + "'");
      case COMMAND:
        return command(token);
      default:
        throw new AnswerParseException("unexpected end of answer");
    }
  }

  private static Expr.Num number(Token token) {
    BigDecimal value = new BigDecimal(token.text());
    if (token.exponent() != 0) {
      value = value.scaleByPowerOfTen(token.exponent());
    }
    return new Expr.Num(Rational.of(value), token.text().indexOf('.') >= 0 || token.exponent() < 0);
  }

  private Expr letter(Token token) {
    String name = token.text();
    if (acceptSymbol("_")) {
      return new Expr.Var(name + "_" + subscript());
    }
    if (name.equals("e")) {
      return new Expr.Constant(Expr.Constant.Name.E);
    }
    return new Expr.Var(name);
  }

  /** A subscript as a name: one character, or the raw tokens of a braced group. */
  private String subscript() {
    Token token = next();
    if (token.type() == Token.Type.NUMBER) {
      return splitFirstDigit(token);
    }
    if (token.type() == Token.Type.LETTER) {
      return token.text();
    }
    if (token.isSymbol("{")) {
      StringBuilder name = new StringBuilder();
      while (!peek().isSymbol("}")) {
        budget.check();
        Token part = next();
        if (part.type() == Token.Type.END || part.isSymbol("{")) {
          throw new AnswerParseException("bad subscript");
        }
        name.append(part.text());
      }
      next();
      return name.toString();
    }
    throw new AnswerParseException("bad subscript " + token);
  }

  /**
   * Takes the first digit of a number token as a one-character LaTeX argument and leaves the rest
   * in place: {@code \frac12} is 1/2.
   */
  private String splitFirstDigit(Token token) {
    String text = token.text();
    if (text.length() == 1 || text.charAt(0) == '.') {
      return text;
    }
    position--;
    tokens.set(
        position,
        new Token(Token.Type.NUMBER, text.substring(1), token.exponent(), token.position() + 1));
    return text.substring(0, 1);
  }

  /** After '(' or '[': a parenthesized expression, or a tuple or interval when there are commas. */
  private Expr bracketed(char open) {
    List<Expr> items = items();
    Token close = next();
    if (!close.isSymbol(")") && !close.isSymbol("]")) {
      throw new AnswerParseException("unclosed '" + open + "'");
    }
    char closeChar = close.text().charAt(0);
    if (items.size() == 1) {
      if ((open == '(') != (closeChar == ')')) {
        throw new AnswerParseException("mismatched '" + open + "' and '" + closeChar + "'");
      }
      return items.get(0);
    }
    return new Expr.Group(open, closeChar, items);
  }

  /** After a plain '{': a TeX group, or a set when there are commas. */
  private Expr braced() {
    List<Expr> items = items();
    if (!acceptSymbol("}")) {
      throw new AnswerParseException("unclosed '{'");
    }
    return items.size() == 1 ? items.get(0) : new Expr.Group('{', '}', items);
  }

  private Expr absolute(String closing) {
    Expr operand = sumInside();
    Token close = next();
    if (!(close.isSymbol(closing) || close.isCommand(closing) || close.isCommand("rvert"))) {
      throw new AnswerParseException("unclosed absolute value");
    }
    return new Expr.Abs(operand);
  }

  private Expr sumInside() {
    enter();
    Expr inside = sum();
    leave();
    return inside;
  }

  private Expr command(Token token) {
    String name = token.text();
    switch (name) {
      case "frac": {
        Expr numerator = argument();
        Expr denominator = argument();
        return new Expr.Product(
            List.of(
                new Expr.Factor(Expr.Operator.TIMES, numerator),
                new Expr.Factor(Expr.Operator.DIVIDE, denominator)));
      }
      case "sqrt": {
        Expr index = new Expr.Num(Rational.of(2), false);
        if (acceptSymbol("[")) {
          index = sumInside();
          expectSymbol("]");
        }
        return new Expr.Root(argument(), index);
      }
      case "binom":
        return new Expr.Binomial(argument(), argument());
      case "pi":
        return new Expr.Constant(Expr.Constant.Name.PI);
      case "infty":
        return new Expr.Infinity();
      case "emptyset", "varnothing":
        return new Expr.Group('{', '}', List.of());
      case "{": {
        if (peek().isCommand("}")) {
          next();
          return new Expr.Group('{', '}', List.of());
        }
        List<Expr> items = items();
        if (!next().isCommand("}")) {
          throw new AnswerParseException("unclosed '\\{'");
        }
        return new Expr.Group('{', '}', items);
      }
      case "langle": {
        List<Expr> items = items();
        if (!next().isCommand("rangle")) {
          throw new AnswerParseException("unclosed '\\langle'");
        }
        return new Expr.Group('<', '>', items);
      }
      case "|", "lvert", "vert":
        return absolute(name.equals("lvert") ? "rvert" : name);
      case "lfloor", "lceil": {
        Expr operand = sumInside();
        String closing = name.equals("lfloor") ? "rfloor" : "rceil";
        if (!next().isCommand(closing)) {
          throw new AnswerParseException("unclosed '\\" + name + "'");
        }
        return new Expr.Function(name.equals("lfloor") ? "floor" : "ceil", operand);
      }
      default:
        if (GREEK.contains(name)) {
          return new Expr.Var(name);
        }
        if (FUNCTIONS.contains(name)) {
          return function(name);
        }
        throw new AnswerParseException("unsupported \\" + name);
    }
  }

  /**
   * {@code \sin x}, {@code \sin(x)}, {@code \sin^2 x}, {@code \ln 2x}: without parentheses the
   * argument runs over juxtaposed factors, as in print (sin 2x is sin(2x)).
   */
  private Expr function(String name) {
    enter();
    Expr base = null;
    if (name.equals("log") && acceptSymbol("_")) {
      base = argument(); // \log_2 8, \log_{10} x
    }
    Expr power = null;
    if (acceptSymbol("^")) {
      power = signed();
    }
    Expr argument;
    if (peek().isSymbol("(")) {
      next();
      argument = bracketed('(');
    } else {
      argument = power();
      List<Expr.Factor> factors = null;
      while (startsImplicitFactor(peek()) && !FUNCTIONS.contains(peek().text())) {
        budget.check();
        if (factors == null) {
          factors = new ArrayList<>();
          factors.add(new Expr.Factor(Expr.Operator.TIMES, argument));
        }
        factors.add(new Expr.Factor(Expr.Operator.IMPLICIT, power()));
      }
      if (factors != null) {
        argument = new Expr.Product(factors);
      }
    }
    leave();
    Expr applied;
    if (name.equals("log")) {
      // log_b x = ln x / ln b; a bare \log is the common logarithm, as in competition problems
      Expr logBase = base != null ? base : new Expr.Num(Rational.of(10), false);
      applied =
          new Expr.Product(
              List.of(
                  new Expr.Factor(Expr.Operator.TIMES, new Expr.Function("ln", argument)),
                  new Expr.Factor(Expr.Operator.DIVIDE, new Expr.Function("ln", logBase))));
    } else {
      applied = new Expr.Function(name, argument);
    }
    return power == null ? applied : new Expr.Power(applied, power);
  }

  /** One LaTeX argument: a braced group, or a single digit, letter or command. */
  private Expr argument() {
    enter();
    try {
      Token token = peek();
      if (token.isSymbol("{")) {
        next();
        Expr inside = sum();
        if (!acceptSymbol("}")) {
          throw new AnswerParseException("unclosed '{' in argument");
        }
        return inside;
      }
      if (token.type() == Token.Type.NUMBER) {
        next();
        String digit = splitFirstDigit(token);
        return digit.equals(token.text())
            ? number(token)
            : number(new Token(Token.Type.NUMBER, digit, 0, token.position()));
      }
      if (token.type() == Token.Type.LETTER || token.type() == Token.Type.COMMAND) {
        return primary();
      }
      throw new AnswerParseException("missing argument, found " + token);
    } finally {
      leave();
    }
  }
}

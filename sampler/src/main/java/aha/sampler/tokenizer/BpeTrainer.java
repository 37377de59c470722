package aha.sampler.tokenizer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a byte-level BPE tokenizer, the way GPT-2 and Qwen2 tokenizers are made, and produces a
 * {@link TrainedBpe} that saves as a HuggingFace {@code tokenizer.json}.
 *
 * <p>Training: the text is cut around the added tokens (they are never split or merged), cut into
 * pre-tokens by {@link #SPLIT_REGEX}, and each distinct pre-token is counted once as a "word" of
 * UTF-8 bytes. Then, until the vocabulary is full, the most frequent adjacent pair of symbols over
 * all words (weighted by word count) becomes a new symbol. Pair counts are updated incrementally: a
 * merge only revisits the words that contain the pair and only changes the counts of pairs next to
 * it.
 *
 * <p>Ids: the added tokens first, in the order given (specials, then plain added tokens), then the
 * 256 bytes in byte order, then one id per merge in the order learned. The vocabulary size counts
 * all of them.
 *
 * <p>Deterministic: equal pair counts are broken by the smaller left id, then the smaller right id,
 * so the same texts give a byte-identical {@code tokenizer.json}. A merge whose string already has
 * an id (reachable by two segmentations, e.g. {@code a+bc} after {@code ab+c}) is skipped, so every
 * id is one string and every merge one id. Pairs seen fewer than {@link #MIN_PAIR_COUNT} times are
 * not merged, so a small corpus may yield fewer tokens than asked for.
 */
public final class BpeTrainer {

  /**
   * The pre-tokenizer split, Qwen2's: English contractions; a word with at most one leading
   * non-letter (usually the space before it); <b>each digit alone</b>, so that numbers are spelled
   * digit by digit, the same way in every number, which arithmetic needs; a run of punctuation with
   * an optional leading space and trailing newlines; newlines with the spaces before them; other
   * whitespace. HuggingFace tokenizers runs it as a {@code Split} pre-tokenizer (Oniguruma); Java
   * runs the same pattern with Unicode character classes.
   */
  public static final String SPLIT_REGEX =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
          + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** Pairs seen fewer times than this are not merged: a merge seen once only memorises. */
  public static final int MIN_PAIR_COUNT = 2;

  private static final Pattern SPLIT =
      Pattern.compile(SPLIT_REGEX, Pattern.UNICODE_CHARACTER_CLASS);
  private static final int FILE_CHUNK_CHARS = 1 << 20;

  private final int vocabSize;
  private final List<String> specialTokens;
  private final List<String> addedTokens;

  /**
   * @param vocabSize the most tokens in the vocabulary, added tokens and the 256 bytes included
   * @param specialTokens tokens kept whole and marked special (skipped by {@code decode(ids,
   *     true)})
   */
  public BpeTrainer(int vocabSize, List<String> specialTokens) {
    this(vocabSize, specialTokens, List.of());
  }

  /**
   * @param vocabSize the most tokens in the vocabulary, added tokens and the 256 bytes included
   * @param specialTokens tokens kept whole and marked special (skipped by {@code decode(ids,
   *     true)})
   * @param addedTokens tokens kept whole but not special: they survive {@code decode(ids, true)}
   */
  public BpeTrainer(int vocabSize, List<String> specialTokens, List<String> addedTokens) {
    this.specialTokens = List.copyOf(specialTokens);
    this.addedTokens = List.copyOf(addedTokens);
    Set<String> seen = new HashSet<>();
    for (String token : allAddedTokens()) {
      if (token.isEmpty()) {
        throw new IllegalArgumentException("added tokens must not be empty");
      }
      if (token.length() == 1 && isByteSymbol(token.charAt(0))) {
        throw new IllegalArgumentException(
            "added token " + token + " is a byte of the byte-level alphabet; use a longer string");
      }
      if (!seen.add(token)) {
        throw new IllegalArgumentException("added token " + token + " is listed twice");
      }
    }
    int minimum = seen.size() + 256;
    if (vocabSize < minimum) {
      throw new IllegalArgumentException(
          "vocabSize "
              + vocabSize
              + " is below "
              + minimum
              + " ("
              + seen.size()
              + " added tokens + 256 bytes)");
    }
    this.vocabSize = vocabSize;
  }

  private static boolean isByteSymbol(char c) {
    for (int b = 0; b < 256; b++) {
      if (ByteLevel.charOf(b) == c) {
        return true;
      }
    }
    return false;
  }

  /**
   * A trainer for the lab's chat format: {@link ChatTemplate#CONTROL_TOKENS} are special (ids 0–3),
   * {@link ChatTemplate#FORMAT_TOKENS} are plain added tokens (ids 4–7), so that {@code <think>}
   * and {@code <answer>} are single tokens that survive decoding with specials skipped.
   */
  public static BpeTrainer withChatTokens(int vocabSize) {
    return withChatTokens(vocabSize, false);
  }

  /**
   * {@link #withChatTokens(int)}, and with {@code toolTokens} also {@link ChatTemplate#TOOL_TOKENS}
   * as plain added tokens (ids 8–11), for a policy that calls the calculator.
   */
  public static BpeTrainer withChatTokens(int vocabSize, boolean toolTokens) {
    List<String> added = new ArrayList<>(ChatTemplate.FORMAT_TOKENS);
    if (toolTokens) {
      added.addAll(ChatTemplate.TOOL_TOKENS);
    }
    return new BpeTrainer(vocabSize, ChatTemplate.CONTROL_TOKENS, added);
  }

  /** Trains on texts, each a document; added tokens in them count as themselves, never as bytes. */
  public TrainedBpe train(Iterable<String> texts) {
    Map<String, long[]> pieceCounts = new HashMap<>();
    for (String text : texts) {
      countPieces(text, pieceCounts);
    }
    return learn(pieceCounts);
  }

  /**
   * Trains on UTF-8 text files, read in chunks cut only where no pre-token spans the cut (after a
   * newline followed by a non-space), so the counts equal those of reading each file whole.
   */
  public TrainedBpe trainFiles(List<Path> files) throws IOException {
    Map<String, long[]> pieceCounts = new HashMap<>();
    for (Path file : files) {
      forEachChunk(file, chunk -> countPieces(chunk, pieceCounts));
    }
    return learn(pieceCounts);
  }

  private List<String> allAddedTokens() {
    List<String> all = new ArrayList<>(specialTokens);
    all.addAll(addedTokens);
    return all;
  }

  // ---- counting pre-tokens -------------------------------------------------------------------

  private void countPieces(String text, Map<String, long[]> counts) {
    List<String> tokens = allAddedTokens();
    int pos = 0;
    while (true) {
      // leftmost added token, the longest one on a tie, as HuggingFace matches them
      int best = -1;
      int bestLength = 0;
      for (String token : tokens) {
        int at = text.indexOf(token, pos);
        if (at >= 0 && (best < 0 || at < best || (at == best && token.length() > bestLength))) {
          best = at;
          bestLength = token.length();
        }
      }
      if (best < 0) {
        break;
      }
      countSegment(text, pos, best, counts);
      pos = best + bestLength;
    }
    countSegment(text, pos, text.length(), counts);
  }

  private static void countSegment(String text, int start, int end, Map<String, long[]> counts) {
    if (start >= end) {
      return;
    }
    // the pattern matches every character, so there are no gaps between matches
    Matcher m = SPLIT.matcher(text).region(start, end);
    int last = start;
    while (m.find()) {
      if (m.start() > last) {
        count(text.substring(last, m.start()), counts);
      }
      count(m.group(), counts);
      last = m.end();
    }
    if (last < end) {
      count(text.substring(last, end), counts);
    }
  }

  private static void count(String piece, Map<String, long[]> counts) {
    counts.computeIfAbsent(piece, k -> new long[1])[0]++;
  }

  private static void forEachChunk(Path file, Consumer<String> action) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      StringBuilder buffer = new StringBuilder();
      char[] block = new char[1 << 16];
      int n;
      while ((n = reader.read(block)) > 0) {
        buffer.append(block, 0, n);
        if (buffer.length() >= FILE_CHUNK_CHARS) {
          int cut = safeCut(buffer);
          if (cut > 0) {
            action.accept(buffer.substring(0, cut));
            buffer.delete(0, cut);
          }
        }
      }
      if (buffer.length() > 0) {
        action.accept(buffer.toString());
      }
    }
  }

  /** The last index just after a newline and on a non-space character, or -1. */
  private static int safeCut(CharSequence text) {
    for (int i = text.length() - 1; i > 0; i--) {
      if (text.charAt(i - 1) == '\n' && !isSpace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** At least every character that {@code \s} matches in Unicode mode (a few more is harmless). */
  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }

  // ---- learning merges -----------------------------------------------------------------------

  /** A pair of symbol ids with its count when queued; stale once the count has changed. */
  private record Candidate(long count, int left, int right) {}

  private static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingLong(Candidate::count)
          .reversed()
          .thenComparingInt(Candidate::left)
          .thenComparingInt(Candidate::right);

  private TrainedBpe learn(Map<String, long[]> pieceCounts) {
    List<String> vocab = new ArrayList<>(allAddedTokens());
    Map<String, Integer> ids = new HashMap<>();
    for (int id = 0; id < vocab.size(); id++) {
      ids.put(vocab.get(id), id);
    }
    int byteBase = vocab.size();
    for (int b = 0; b < 256; b++) {
      String symbol = String.valueOf(ByteLevel.charOf(b));
      ids.put(symbol, vocab.size());
      vocab.add(symbol);
    }

    // the words, in a fixed order, as arrays of symbol ids
    String[] pieces = pieceCounts.keySet().toArray(new String[0]);
    Arrays.sort(pieces);
    int[][] words = new int[pieces.length][];
    long[] freq = new long[pieces.length];
    for (int w = 0; w < pieces.length; w++) {
      byte[] utf8 = pieces[w].getBytes(StandardCharsets.UTF_8);
      int[] symbols = new int[utf8.length];
      for (int i = 0; i < utf8.length; i++) {
        symbols[i] = byteBase + (utf8[i] & 0xFF);
      }
      words[w] = symbols;
      freq[w] = pieceCounts.get(pieces[w])[0];
    }

    // pair counts, where each pair occurs (word indices, possibly repeated), and the queue
    Map<Long, long[]> pairCounts = new HashMap<>();
    Map<Long, IntList> where = new HashMap<>();
    for (int w = 0; w < words.length; w++) {
      int[] symbols = words[w];
      for (int i = 0; i + 1 < symbols.length; i++) {
        long key = pairKey(symbols[i], symbols[i + 1]);
        pairCounts.computeIfAbsent(key, k -> new long[1])[0] += freq[w];
        where.computeIfAbsent(key, k -> new IntList()).add(w);
      }
    }
    PriorityQueue<Candidate> queue =
        new PriorityQueue<>(Math.max(1, pairCounts.size()), BEST_FIRST);
    pairCounts.forEach((key, c) -> queue.add(new Candidate(c[0], left(key), right(key))));

    List<TrainedBpe.Merge> merges = new ArrayList<>();
    Set<Long> skipped = new HashSet<>();
    int[] visited = new int[words.length];
    Arrays.fill(visited, -1);
    while (vocab.size() < vocabSize && !queue.isEmpty()) {
      Candidate top = queue.poll();
      long key = pairKey(top.left(), top.right());
      long[] current = pairCounts.get(key);
      if (current == null || current[0] != top.count() || skipped.contains(key)) {
        continue; // stale: a fresher entry for this pair is queued, or it was ruled out
      }
      if (top.count() < MIN_PAIR_COUNT) {
        break; // every valid entry left counts no more than this one
      }
      String merged = vocab.get(top.left()) + vocab.get(top.right());
      if (ids.containsKey(merged)) {
        skipped.add(key);
        continue;
      }
      int newId = vocab.size();
      ids.put(merged, newId);
      vocab.add(merged);
      merges.add(new TrainedBpe.Merge(vocab.get(top.left()), vocab.get(top.right())));

      // rewrite the words holding the pair, collecting the net change of each pair's count
      Map<Long, long[]> delta = new HashMap<>();
      IntList holders = where.remove(key);
      for (int h = 0; h < holders.size; h++) {
        int w = holders.values[h];
        if (visited[w] == newId) {
          continue;
        }
        visited[w] = newId;
        int[] before = words[w];
        int[] after = mergePair(before, top.left(), top.right(), newId);
        if (after == before) {
          continue;
        }
        for (int i = 0; i + 1 < before.length; i++) {
          delta.computeIfAbsent(pairKey(before[i], before[i + 1]), k -> new long[1])[0] -= freq[w];
        }
        for (int i = 0; i + 1 < after.length; i++) {
          long pair = pairKey(after[i], after[i + 1]);
          delta.computeIfAbsent(pair, k -> new long[1])[0] += freq[w];
          if (after[i] == newId || after[i + 1] == newId) {
            where.computeIfAbsent(pair, k -> new IntList()).add(w);
          }
        }
        words[w] = after;
      }
      for (Map.Entry<Long, long[]> change : delta.entrySet()) {
        long d = change.getValue()[0];
        if (d == 0) {
          continue;
        }
        long pair = change.getKey();
        long[] count = pairCounts.computeIfAbsent(pair, k -> new long[1]);
        count[0] += d;
        if (count[0] <= 0) {
          pairCounts.remove(pair);
        } else {
          queue.add(new Candidate(count[0], left(pair), right(pair)));
        }
      }
    }
    return new TrainedBpe(specialTokens, addedTokens, vocab, merges);
  }

  /**
   * The word with every non-overlapping (left, right), scanned left to right, replaced; or the same
   * array.
   */
  private static int[] mergePair(int[] symbols, int left, int right, int merged) {
    int[] out = null;
    int n = 0;
    for (int i = 0; i < symbols.length; i++) {
      if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
        if (out == null) {
          out = new int[symbols.length - 1];
          System.arraycopy(symbols, 0, out, 0, i);
          n = i;
        }
        out[n++] = merged;
        i++;
      } else if (out != null) {
        out[n++] = symbols[i];
      }
    }
    return out == null ? symbols : Arrays.copyOf(out, n);
  }

  private static long pairKey(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  private static int left(long key) {
    return (int) (key >>> 32);
  }

  private static int right(long key) {
    return (int) key;
  }

  /** A growable int array; word indices per pair, without boxing. */
  private static final class IntList {
    int[] values = new int[4];
    int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }
  }
}

package org.kvmosgi.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The text filters users put after a pipe, as coreutils and GNU grep behave on the lines
 * they get: {@code head}, {@code tail}, {@code grep}, {@code wc}, {@code sort}. A FILE
 * operand is a file of the model (read through the kernel), never the host's; {@code -}
 * or no FILE is standard input. Each writes to {@code out} and returns its exit status
 * (grep: 0 a line matched, 1 none, 2 trouble); a usage mistake is one line in the tool's
 * words and status 1 (grep: 2).
 */
final class TextTools {
    /** Reads a model file, or throws with the line the tool prints ("No such file or directory"). */
    interface Files {
        String read(String path) throws IOException;
    }

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Files files;

    TextTools(InputStream in, PrintStream out, PrintStream err, Files files) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.files = files;
    }

    /** head [-n N | -N] [FILE...]; -n -N prints all but the last N lines. */
    int head(String... args) {
        return ends("head", args, (lines, n) -> {
            if (n.allBut) {
                return lines.subList(0, Math.max(0, lines.size() - (int) Math.min(n.count, lines.size())));
            }
            return lines.subList(0, (int) Math.min(n.count, lines.size()));
        });
    }

    /** tail [-n N | -N | -n +N] [FILE...]; +N starts at line N. */
    int tail(String... args) {
        return ends("tail", args, (lines, n) -> {
            if (n.allBut) {
                return lines.subList((int) Math.min(Math.max(n.count - 1, 0), lines.size()), lines.size());
            }
            return lines.subList(lines.size() - (int) Math.min(n.count, lines.size()), lines.size());
        });
    }

    private static final class Count {
        long count = 10;
        /** head -n -N / tail -n +N. */
        boolean allBut;
    }

    private interface Cut {
        List<String> apply(List<String> lines, Count n);
    }

    private int ends(String tool, String[] args, Cut cut) {
        Count n = new Count();
        List<String> operands = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                operands.add(a);
            } else if (a.equals("--")) {
                optionsEnded = true;
            } else if (a.equals("-n") || a.startsWith("--lines=") || a.startsWith("-n")) {
                String v = a.equals("-n") ? (i + 1 < args.length ? args[++i] : null)
                        : a.startsWith("--lines=") ? a.substring(8) : a.substring(2);
                if (v == null) {
                    return usage(tool, "option requires an argument -- 'n'");
                }
                if (!parseCount(tool, v, n)) {
                    return 1;
                }
            } else if (a.substring(1).chars().allMatch(Character::isDigit)) {
                n.count = Long.parseLong(a.substring(1));
            } else if (a.equals("-q") || a.equals("-s") || a.equals("--quiet") || a.equals("--silent")) {
                // one input at most: no headers to silence
            } else {
                return usage(tool, a.startsWith("--") ? "unrecognized option '" + a + "'" : "invalid option -- '" + a.charAt(1) + "'");
            }
        }
        int status = 0;
        boolean headers = operands.size() > 1;
        List<String> inputs = operands.isEmpty() ? List.of("-") : operands;
        for (int i = 0; i < inputs.size(); i++) {
            List<String> lines = lines(tool, inputs.get(i));
            if (lines == null) {
                status = 1;
                continue;
            }
            if (headers) {
                out.print((i == 0 ? "" : "\n") + "==> " + (inputs.get(i).equals("-") ? "standard input" : inputs.get(i)) + " <==\n");
            }
            for (String l : cut.apply(lines, n)) {
                out.println(l);
            }
        }
        out.flush();
        return status;
    }

    private boolean parseCount(String tool, String v, Count n) {
        String digits = v;
        if (v.startsWith("-") && tool.equals("head") || v.startsWith("+") && tool.equals("tail")) {
            n.allBut = true;
            digits = v.substring(1);
        } else if (v.startsWith("-") && tool.equals("tail")) {
            digits = v.substring(1);
        }
        try {
            n.count = Long.parseLong(digits);
            if (n.count < 0) {
                throw new NumberFormatException();
            }
            return true;
        } catch (NumberFormatException e) {
            err.println(tool + ": invalid number of lines: \u2018" + v + "\u2019");
            return false;
        }
    }

    /** grep [-cvilnqwxEFhH] [-e PATTERN]... PATTERN [FILE...]. */
    int grep(String... args) {
        boolean count = false, invert = false, ignoreCase = false, number = false, quiet = false, word = false;
        boolean line = false, extended = false, fixed = false;
        Boolean names = null;
        List<String> patterns = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                operands.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (a.startsWith("--")) {
                switch (a) {
                case "--count": count = true; break;
                case "--invert-match": invert = true; break;
                case "--ignore-case": ignoreCase = true; break;
                case "--line-number": number = true; break;
                case "--quiet": case "--silent": quiet = true; break;
                case "--word-regexp": word = true; break;
                case "--line-regexp": line = true; break;
                case "--extended-regexp": extended = true; break;
                case "--fixed-strings": fixed = true; break;
                default:
                    if (a.startsWith("--regexp=")) {
                        patterns.add(a.substring(9));
                        break;
                    }
                    return grepUsage("unrecognized option '" + a + "'");
                }
                continue;
            }
            for (int j = 1; j < a.length(); j++) {
                char c = a.charAt(j);
                switch (c) {
                case 'c': count = true; break;
                case 'v': invert = true; break;
                case 'i': case 'y': ignoreCase = true; break;
                case 'n': number = true; break;
                case 'q': case 's': quiet |= c == 'q'; break;
                case 'w': word = true; break;
                case 'x': line = true; break;
                case 'E': extended = true; break;
                case 'F': fixed = true; break;
                case 'G': extended = false; break;
                case 'h': names = Boolean.FALSE; break;
                case 'H': names = Boolean.TRUE; break;
                case 'e':
                    String p = j + 1 < a.length() ? a.substring(j + 1) : i + 1 < args.length ? args[++i] : null;
                    if (p == null) {
                        return grepUsage("option requires an argument -- 'e'");
                    }
                    patterns.add(p);
                    j = a.length();
                    break;
                default:
                    return grepUsage("invalid option -- '" + c + "'");
                }
            }
        }
        if (patterns.isEmpty()) {
            if (operands.isEmpty()) {
                return grepUsage(null);
            }
            patterns.add(operands.remove(0));
        }
        Pattern pattern;
        try {
            pattern = compile(patterns, extended, fixed, word, line, ignoreCase);
        } catch (PatternSyntaxException e) {
            err.println("grep: " + e.getDescription());
            return 2;
        }
        List<String> inputs = operands.isEmpty() ? List.of("-") : operands;
        boolean showNames = names != null ? names : inputs.size() > 1;
        boolean matched = false;
        boolean trouble = false;
        for (String input : inputs) {
            List<String> lines = lines("grep", input);
            if (lines == null) {
                trouble = true;
                continue;
            }
            String prefix = showNames ? (input.equals("-") ? "(standard input)" : input) + ":" : "";
            long hits = 0;
            for (int k = 0; k < lines.size(); k++) {
                if (pattern.matcher(lines.get(k)).find() != invert) {
                    hits++;
                    matched = true;
                    if (quiet) {
                        out.flush();
                        return 0;
                    }
                    if (!count) {
                        out.println(prefix + (number ? (k + 1) + ":" : "") + lines.get(k));
                    }
                }
            }
            if (count && !quiet) {
                out.println(prefix + hits);
            }
        }
        out.flush();
        return trouble && !(quiet && matched) ? 2 : matched ? 0 : 1;
    }

    private int grepUsage(String problem) {
        if (problem != null) {
            err.println("grep: " + problem);
        }
        err.println("Usage: grep [OPTION]... PATTERNS [FILE]...");
        err.println("Try 'grep --help' for more information.");
        return 2;
    }

    static Pattern compile(List<String> patterns, boolean extended, boolean fixed, boolean word, boolean line,
            boolean ignoreCase) {
        List<String> alternatives = new ArrayList<>();
        for (String p : patterns) {
            // a pattern with newlines is several patterns, as grep takes them
            for (String one : p.split("\n", -1)) {
                String re = fixed ? Pattern.quote(one) : extended ? one : basicToJava(one);
                alternatives.add(word ? "(?<![\\w])(?:" + re + ")(?![\\w])" : line ? "^(?:" + re + ")$" : "(?:" + re + ")");
            }
        }
        return Pattern.compile(String.join("|", alternatives), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }

    /** POSIX basic regular expression to Java's: \( \) \{ \} \| \+ \? are the operators, ( ) { } | + ? plain. */
    static String basicToJava(String bre) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < bre.length(); i++) {
            char c = bre.charAt(i);
            if (c == '\\' && i + 1 < bre.length()) {
                char n = bre.charAt(++i);
                if ("(){}|+?".indexOf(n) >= 0) {
                    re.append(n);
                } else {
                    re.append('\\').append(n);
                }
            } else if ("(){}|+?".indexOf(c) >= 0) {
                re.append('\\').append(c);
            } else if (c == '*' && (i == 0 || bre.charAt(i - 1) == '^' && i == 1)) {
                // a leading * is a literal star in a BRE
                re.append("\\*");
            } else {
                re.append(c);
            }
        }
        return re.toString();
    }

    /** wc [-lwcm] [FILE...]: lines, words, bytes; one count from standard input alone is printed bare. */
    int wc(String... args) {
        Flags f = flags("wc", args, "lwcm", Map.of("--lines", 'l', "--words", 'w', "--bytes", 'c', "--chars", 'm'));
        if (f == null) {
            return 1;
        }
        List<String> operands = f.operands;
        boolean lines = f.has('l'), words = f.has('w'), bytes = f.has('c'), chars = f.has('m');
        if (!lines && !words && !bytes && !chars) {
            lines = words = bytes = true;
        }
        List<String> inputs = operands.isEmpty() ? List.of("-") : operands;
        List<long[]> counts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        long[] total = new long[4];
        int status = 0;
        for (String input : inputs) {
            String text = text("wc", input);
            if (text == null) {
                status = 1;
                continue;
            }
            long[] c = {lineCount(text), wordCount(text), text.length(), text.getBytes(StandardCharsets.UTF_8).length};
            for (int k = 0; k < 4; k++) {
                total[k] += c[k];
            }
            counts.add(c);
            labels.add(operands.isEmpty() ? "" : input);
        }
        if (inputs.size() > 1) {
            counts.add(total);
            labels.add("total");
        }
        boolean[] shown = {lines, words, chars, bytes};
        int columns = (lines ? 1 : 0) + (words ? 1 : 0) + (chars ? 1 : 0) + (bytes ? 1 : 0);
        long widest = 0;
        for (int k = 0; k < 4; k++) {
            widest = shown[k] ? Math.max(widest, total[k]) : widest;
        }
        // standard input's size is unknown: coreutils pads to 7 unless one count alone is asked
        int width = columns == 1 && operands.isEmpty() ? 1 : operands.isEmpty() ? 7 : Long.toString(widest).length();
        for (int r = 0; r < counts.size(); r++) {
            long[] c = counts.get(r);
            long[] ordered = {c[0], c[1], c[2], c[3]};
            StringBuilder row = new StringBuilder();
            for (int k = 0; k < 4; k++) {
                if (shown[k]) {
                    row.append(row.length() == 0 ? "" : " ").append(String.format("%" + width + "d", ordered[k]));
                }
            }
            if (!labels.get(r).isEmpty()) {
                row.append(' ').append(labels.get(r));
            }
            out.println(row);
        }
        out.flush();
        return status;
    }

    private static long lineCount(String text) {
        return text.chars().filter(c -> c == '\n').count();
    }

    private static long wordCount(String text) {
        long n = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                n++;
            }
            inWord = !space;
        }
        return n;
    }

    /** sort [-rnuf] [FILE...]: all inputs' lines, in the order asked for. */
    int sort(String... args) {
        Flags f = flags("sort", args, "rnuf", Map.of("--reverse", 'r', "--numeric-sort", 'n', "--unique", 'u',
                "--ignore-case", 'f'));
        if (f == null) {
            return 1;
        }
        List<String> operands = f.operands;
        boolean reverse = f.has('r'), numeric = f.has('n'), unique = f.has('u'), fold = f.has('f');
        List<String> all = new ArrayList<>();
        for (String input : operands.isEmpty() ? List.of("-") : operands) {
            List<String> lines = lines("sort", input);
            if (lines == null) {
                // sort reads every input before it writes: a missing one ends it with nothing written
                return 2;
            }
            all.addAll(lines);
        }
        Comparator<String> order = numeric ? Comparator.comparingDouble(TextTools::leadingNumber)
                : fold ? String.CASE_INSENSITIVE_ORDER : Comparator.naturalOrder();
        if (numeric || fold) {
            // equal keys fall back to the whole line, as sort's last-resort comparison
            order = order.thenComparing(Comparator.naturalOrder());
        }
        if (reverse) {
            order = order.reversed();
        }
        all.sort(order);
        String previous = null;
        Comparator<String> key = numeric ? Comparator.comparingDouble(TextTools::leadingNumber)
                : fold ? String.CASE_INSENSITIVE_ORDER : Comparator.naturalOrder();
        for (String l : all) {
            if (unique && previous != null && key.compare(previous, l) == 0) {
                continue;
            }
            out.println(l);
            previous = l;
        }
        out.flush();
        return 0;
    }

    private static double leadingNumber(String line) {
        java.util.regex.Matcher m = Pattern.compile("^\\s*(-?\\d+(\\.\\d*)?)").matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Single-letter options (bundled as in -lw) and their long names; the rest are operands. */
    private static final class Flags {
        final java.util.Set<Character> letters = new java.util.HashSet<>();
        final List<String> operands = new ArrayList<>();

        boolean has(char c) {
            return letters.contains(c);
        }
    }

    /** The flags of {@code args}, or null after printing the tool's usage line. */
    private Flags flags(String tool, String[] args, String letters, Map<String, Character> longs) {
        Flags f = new Flags();
        for (String a : args) {
            if (!a.startsWith("-") || a.equals("-")) {
                f.operands.add(a);
            } else if (a.startsWith("--")) {
                Character c = longs.get(a);
                if (c == null) {
                    usage(tool, "unrecognized option '" + a + "'");
                    return null;
                }
                f.letters.add(c);
            } else {
                for (int j = 1; j < a.length(); j++) {
                    if (letters.indexOf(a.charAt(j)) < 0) {
                        usage(tool, "invalid option -- '" + a.charAt(j) + "'");
                        return null;
                    }
                    f.letters.add(a.charAt(j));
                }
            }
        }
        return f;
    }

    private int usage(String tool, String problem) {
        err.println(tool + ": " + problem);
        err.println("Try '" + tool + " --help' for more information.");
        return 1;
    }

    /** An input's lines (without their newlines), or null after printing why it cannot be read. */
    private List<String> lines(String tool, String input) {
        String text = text(tool, input);
        if (text == null) {
            return null;
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private String text(String tool, String input) {
        try {
            if (input.equals("-")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return files.read(input);
        } catch (IOException e) {
            err.println(tool + ": " + input + ": " + e.getMessage());
            return null;
        }
    }
}

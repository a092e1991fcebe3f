package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One object of the kmemleak report: which module left it, what it is and the step that took it. */
public record Leak(String module, String kind, String what, long size, String step) {
    private static final Pattern OBJECT = Pattern.compile("unreferenced object 0x[0-9a-f]+ \\(size (\\d+)\\):");
    private static final Pattern MODULE = Pattern.compile("\\s*comm \"[^\"]*\", module (\\S+)");
    private static final Pattern FRAME = Pattern.compile("\\s*\\[<[0-9a-f]+>\\] (\\S+)");

    /** Parses /sys/kernel/debug/kmemleak (kmemleak's report blocks). */
    public static List<Leak> parse(String report) {
        List<Leak> out = new ArrayList<>();
        String[] lines = report.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher o = OBJECT.matcher(lines[i]);
            if (!o.matches()) {
                continue;
            }
            long size = Long.parseLong(o.group(1));
            String module = "?";
            String kind = "?";
            String what = "";
            String step = "?";
            int j = i + 1;
            if (j < lines.length) {
                Matcher m = MODULE.matcher(lines[j]);
                if (m.matches()) {
                    module = m.group(1);
                    j++;
                }
            }
            if (j < lines.length && !lines[j].trim().equals("backtrace:")) {
                String t = lines[j].trim();
                int colon = t.indexOf(": ");
                kind = colon < 0 ? t : t.substring(0, colon);
                what = colon < 0 ? "" : t.substring(colon + 2);
                j++;
            }
            if (j < lines.length && lines[j].trim().equals("backtrace:") && j + 1 < lines.length) {
                Matcher f = FRAME.matcher(lines[j + 1]);
                if (f.matches()) {
                    step = f.group(1);
                }
            }
            out.add(new Leak(module, kind, what, size, step));
        }
        return out;
    }

    /** One line for a summary: {@code kmalloc "buffer" (4096 bytes) taken at mod:step}. */
    public String describe() {
        return kind + " " + (what.isEmpty() ? "" : "\"" + what + "\" ") + (size > 0 ? "(" + size + " bytes) " : "")
                + "taken at " + step;
    }
}

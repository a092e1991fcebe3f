package org.kvmosgi.console.internal;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;
import org.junit.Test;

/** The filters against what coreutils and GNU grep print for the same input. */
public class TextToolsTest {
    private static final String LSMOD = "Module                  Size  Used by\nkvm_intel              36864  0\nkvm                    57344  1 kvm_intel\n";
    private String out;
    private String err;

    private int run(String input, ToIntFunction<TextTools> tool) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        TextTools t = new TextTools(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(o, true), new PrintStream(e, true), path -> {
                    if (path.equals("/proc/modules")) {
                        return "kvm 57344 0 - Live 0xffffffffc0000000\n";
                    }
                    throw new IOException("No such file or directory");
                });
        int status = tool.applyAsInt(t);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private static String numbers(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            s.append(i).append('\n');
        }
        return s.toString();
    }

    @Test
    public void headAndTailCountLines() {
        assertEquals(0, run(numbers(20), t -> t.head()));
        assertEquals(numbers(10), out);
        run(numbers(20), t -> t.head("-5"));
        assertEquals(numbers(5), out);
        run(numbers(7), t -> t.head("-n", "-5"));
        assertEquals(numbers(2), out);
        run(numbers(20), t -> t.tail("-n", "2"));
        assertEquals("19\n20\n", out);
        run(numbers(5), t -> t.tail("-n", "+4"));
        assertEquals("4\n5\n", out);
        run(numbers(3), t -> t.tail());
        assertEquals(numbers(3), out);
        assertEquals(1, run("", t -> t.head("-n", "x")));
        assertEquals("head: invalid number of lines: \u2018x\u2019\n", err);
        assertEquals(1, run("", t -> t.head("-5", "/nope")));
        assertEquals("head: /nope: No such file or directory\n", err);
    }

    @Test
    public void grepMatchesCountsInvertsAndFails() {
        assertEquals(0, run(LSMOD, t -> t.grep("-c", "kvm")));
        assertEquals("2\n", out);
        assertEquals(0, run(LSMOD, t -> t.grep("-v", "-i", "KVM")));
        assertEquals("Module                  Size  Used by\n", out);
        assertEquals(0, run(LSMOD, t -> t.grep("-E", "^kvm_(intel|amd)")));
        assertEquals("kvm_intel              36864  0\n", out);
        assertEquals("basic regex: ( is a plain character", 1, run(LSMOD, t -> t.grep("kvm_(intel|amd)")));
        assertEquals(0, run(LSMOD, t -> t.grep("kvm_\\(intel\\|amd\\)")));
        assertEquals(0, run(LSMOD, t -> t.grep("-w", "-n", "kvm")));
        assertEquals("3:kvm                    57344  1 kvm_intel\n", out);
        assertEquals(1, run(LSMOD, t -> t.grep("-c", "nothing")));
        assertEquals("0\n", out);
        assertEquals(0, run("", t -> t.grep("kvm", "/proc/modules")));
        assertEquals(2, run("", t -> t.grep("kvm", "/nope")));
        assertEquals("grep: /nope: No such file or directory\n", err);
        assertEquals(2, run("", t -> t.grep("-E", "(")));
        assertEquals(2, run("", t -> t.grep()));
        assertEquals("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", err);
    }

    @Test
    public void wcAndSortAsCoreutils() {
        run(LSMOD, t -> t.wc("-l"));
        assertEquals("3\n", out);
        run("a b\nc\n", t -> t.wc());
        assertEquals("      2       3       6\n", out);
        run("", t -> t.wc("-l", "/proc/modules"));
        assertEquals("1 /proc/modules\n", out);
        run("b\na\nc\na\n", t -> t.sort("-u"));
        assertEquals("a\nb\nc\n", out);
        run("10\n9\n100\n", t -> t.sort("-n", "-r"));
        assertEquals("100\n10\n9\n", out);
        assertEquals(1, run("", t -> t.sort("-z")));
        assertEquals("sort: invalid option -- 'z'\nTry 'sort --help' for more information.\n", err);
    }
}

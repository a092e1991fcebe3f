package org.kvmosgi.kmod.lib;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class GetoptTest {
    private final Getopt g = new Getopt("modprobe", "arnvqC:S:", Map.of("remove", "r", "dry-run", "n",
            "show-depends", "D", "show-config", "c", "showconfig", "c", "first-time", "first-time",
            "set-version=", "S", "quiet", "q"));

    @Test
    public void groupedShortOptionsAndOperandsInAnyOrder() throws Exception {
        Getopt.Result r = g.parse("kvm", "-nv", "nested=1", "-q");
        assertTrue(r.has("n"));
        assertTrue(r.has("v"));
        assertTrue(r.has("q"));
        assertEquals(List.of("kvm", "nested=1"), r.operands());
    }

    @Test
    public void argumentsAttachedOrSeparate() throws Exception {
        assertEquals("6.1", g.parse("-S6.1", "x").last("S"));
        assertEquals("6.2", g.parse("-S", "6.2", "x").last("S"));
        assertEquals("6.3", g.parse("--set-version=6.3", "x").last("S"));
        assertEquals("6.4", g.parse("--set-version", "6.4", "x").last("S"));
    }

    @Test
    public void longOptionsByUniquePrefix() throws Exception {
        assertTrue(g.parse("--first", "x").has("first-time"));
        assertTrue(g.parse("--show-d", "x").has("D"));
        // two names of one option are not ambiguous
        assertTrue(g.parse("--showc", "x").has("c"));
    }

    @Test
    public void doubleDashEndsOptions() throws Exception {
        Getopt.Result r = g.parse("-q", "--", "-r");
        assertTrue(r.has("q"));
        assertFalse(r.has("r"));
        assertEquals(List.of("-r"), r.operands());
    }

    @Test
    public void errorsWordedAsGlibc() {
        expect("modprobe: invalid option -- 'z'", "-z");
        expect("modprobe: unrecognized option '--bogus'", "--bogus");
        expect("modprobe: option '--show' is ambiguous", "--show");
        expect("modprobe: option requires an argument -- 'S'", "-S");
        expect("modprobe: option '--remove' doesn't allow an argument", "--remove=1");
    }

    private void expect(String message, String... args) {
        try {
            g.parse(args);
            fail("no error for " + List.of(args));
        } catch (Getopt.UsageError e) {
            assertEquals(message, e.getMessage());
        }
    }
}

package org.kvmosgi.kmod.lib;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class FnmatchTest {
    @Test
    public void literalAndWildcards() {
        assertTrue(Fnmatch.matches("kvm", "kvm"));
        assertFalse(Fnmatch.matches("kvm", "kvm_intel"));
        assertTrue(Fnmatch.matches("kvm*", "kvm_intel"));
        assertTrue(Fnmatch.matches("*intel", "kvm_intel"));
        assertTrue(Fnmatch.matches("k?m", "kvm"));
        assertFalse(Fnmatch.matches("k?m", "km"));
        assertTrue(Fnmatch.matches("*", ""));
        assertTrue(Fnmatch.matches("a*b*c", "aXXbYYc"));
        assertFalse(Fnmatch.matches("a*b*c", "aXXbYY"));
    }

    @Test
    public void cpuAliasAsTheKernelWritesIt() {
        String pattern = "cpu:type:x86,ven*fam*mod*:feature:*0085*";
        assertTrue(Fnmatch.matches(pattern, "cpu:type:x86,ven0000fam0006mod003A:feature:,0000,0001,0085,00E6"));
        assertFalse(Fnmatch.matches(pattern, "cpu:type:x86,ven0000fam0006mod003A:feature:,0000,0001,00E6"));
    }

    @Test
    public void bracketExpressions() {
        assertTrue(Fnmatch.matches("snd-[a-c]x", "snd-bx"));
        assertFalse(Fnmatch.matches("snd-[a-c]x", "snd-dx"));
        assertTrue(Fnmatch.matches("snd-[!a-c]x", "snd-dx"));
        assertTrue(Fnmatch.matches("snd-[^a-c]x", "snd-dx"));
        assertTrue(Fnmatch.matches("[]]", "]"));
        assertTrue(Fnmatch.matches("a[", "a["));
        assertTrue(Fnmatch.matches("a\\*", "a*"));
        assertFalse(Fnmatch.matches("a\\*", "ab"));
    }
}

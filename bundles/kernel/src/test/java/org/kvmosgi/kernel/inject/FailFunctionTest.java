package org.kvmosgi.kernel.inject;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.junit.Test;

public class FailFunctionTest {
    private final List<String> log = new ArrayList<>();
    private final FailFunction ff = new FailFunction((level, fmt, args) -> log.add(String.format(fmt, args)), 7);

    @Test
    public void nothingFiresUntilProbabilityIsSet() {
        assertEquals(0, ff.inject("kvm_hv:radix_init"));
        assertEquals(0, ff.check("kvm_hv:radix_init"));
        ff.setProbability(100);
        assertEquals("the default retval is -EINVAL", Errno.EINVAL.neg(), ff.check("kvm_hv:radix_init"));
        assertEquals("times defaults to 1", 0, ff.check("kvm_hv:radix_init"));
        assertEquals("FAULT_INJECTION: forcing a failure.\nname fail_function, interval 1, probability 100, space 0, times 1",
                log.get(0));
    }

    @Test
    public void retvalTakesTheUnsignedFormOfANegativeErrno() {
        ff.inject("kvm:misc_register");
        assertEquals(0, ff.setRetval("kvm:misc_register", "0xfffffffffffffff4"));
        assertEquals(Integer.valueOf(-12), ff.retval("kvm:misc_register"));
        assertEquals(0, ff.setRetval("kvm:misc_register", "-5"));
        assertEquals(Errno.EINVAL.neg(), ff.setRetval("kvm:misc_register", "0"));
        assertEquals(Errno.EINVAL.neg(), ff.setRetval("kvm:misc_register", "-4096"));
        assertEquals(Errno.ENOENT.neg(), ff.setRetval("kvm:other", "-5"));
    }

    @Test
    public void timesMinusOneNeverRunsOutAndIntervalSkips() {
        ff.inject("m:s");
        ff.setProbability(100);
        ff.setTimes(-1);
        ff.setInterval(3);
        int fired = 0;
        for (int i = 0; i < 9; i++) {
            if (ff.check("m:s") != 0) {
                fired++;
            }
        }
        assertEquals(3, fired);
    }

    @Test
    public void theSameSeedGivesTheSameFailures() {
        FailFunction a = new FailFunction((l, f, x) -> {}, 99);
        FailFunction b = new FailFunction((l, f, x) -> {}, 99);
        for (FailFunction f : List.of(a, b)) {
            f.inject("m:s");
            f.setProbability(30);
            f.setTimes(-1);
        }
        StringBuilder sa = new StringBuilder();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sa.append(a.check("m:s") != 0 ? 'x' : '.');
            sb.append(b.check("m:s") != 0 ? 'x' : '.');
        }
        assertEquals(sa.toString(), sb.toString());
        assertEquals(true, sa.indexOf("x") >= 0 && sa.indexOf(".") >= 0);
    }

    @Test
    public void disarmAndClear() {
        ff.inject("a:b");
        ff.inject("c:d");
        assertEquals(0, ff.inject("!a:b"));
        assertEquals(List.of("c:d"), ff.armedPoints());
        assertEquals(Errno.ENOENT.neg(), ff.inject("!a:b"));
        assertEquals(0, ff.inject(""));
        assertEquals(List.of(), ff.armedPoints());
        assertEquals(Errno.EINVAL.neg(), ff.inject("no-colon"));
    }
}

package org.kvmosgi.testsupport.kit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

/**
 * Hamcrest matchers on {@link Kernel.Module} (a /proc/modules line, null when the kernel does
 * not hold the module), for {@code assertThat(kernel.module("kvm"), isLive(1, "kvm_intel"))}
 * and {@code assertThat(kernel.module("kvm_amd"), isAbsent())}.
 */
public final class KernelMatchers {
    private KernelMatchers() {}

    /** Live with this refcount and exactly these holders, in any order. */
    public static Matcher<Kernel.Module> isLive(int refcnt, String... holders) {
        List<String> want = sorted(Arrays.asList(holders));
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Kernel.Module m, Description mismatch) {
                mismatch.appendText(describe(m));
                return m.state().equals("Live") && m.refcnt() == refcnt && sorted(m.holders()).equals(want);
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("Live, refcnt " + refcnt + ", used by " + want);
            }
        };
    }

    /** Not held by the kernel (the module is null). */
    public static Matcher<Kernel.Module> isAbsent() {
        return new org.hamcrest.BaseMatcher<>() {
            @Override
            public boolean matches(Object item) {
                return item == null;
            }

            @Override
            public void describeMismatch(Object item, Description mismatch) {
                mismatch.appendText(item instanceof Kernel.Module m ? describe(m) : String.valueOf(item));
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("no /proc/modules line");
            }
        };
    }

    private static String describe(Kernel.Module m) {
        return m.name() + " " + m.state() + ", refcnt " + m.refcnt() + ", used by " + sorted(m.holders())
                + (m.permanent() ? " [permanent]" : "");
    }

    private static List<String> sorted(List<String> l) {
        List<String> out = new ArrayList<>(l);
        out.sort(null);
        return out;
    }
}

package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.Test;

/**
 * The direct runner with the VMM's operations on a simulated kvm_intel: a VM pins it,
 * {@code rmmod -f} frees it under the VM and leaves its VMCS to kmemleak, and each ioctl on
 * the VM then oopses at its address. The forced unload's consequences are no violation;
 * a {@code vm run} that does not fail -EFAULT there is.
 */
public class DirectRunnerVmmTest {
    static class Kernel implements Platform {
        /** Whether vm run on a freed VM runs anyway (a model bug the check must catch). */
        final boolean runsInFreedCode;
        boolean loaded;
        boolean vm;
        boolean freed;
        int refs;
        final List<String> log = new ArrayList<>();

        Kernel(boolean runsInFreedCode) {
            this.runsInFreedCode = runsInFreedCode;
        }

        @Override
        public void reset() {
            loaded = vm = freed = false;
            refs = 0;
            log.clear();
        }

        @Override
        public Step apply(Op op, int newestVmFd) {
            switch (op.kind()) {
                case LOAD -> loaded = true;
                case VMM_CREATE -> {
                    vm = true;
                    refs = 4;
                }
                case FORCE_UNLOAD -> {
                    loaded = false;
                    freed = vm;
                    log.add("kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)");
                }
                case VM_RUN -> {
                    if (freed && !runsInFreedCode) {
                        log.add("BUG: unable to handle page fault for address: ffffffffc0017000");
                        return new Step(1, "vm: KVMOSGI_GET_STATS failed: Bad address\n", false, -1);
                    }
                }
                default -> throw new AssertionError(op);
            }
            return new Step(0, "", false, -1);
        }

        @Override
        public void disarm() {
        }

        @Override
        public long failTimes() {
            return 0;
        }

        @Override
        public Check check() {
            SortedSet<String> l = new TreeSet<>();
            if (loaded) {
                l.add("kvm_intel/" + refs);
            }
            List<String> violations = new ArrayList<>();
            if (freed) {
                violations.add("kmemleak: 1 suspected leaks");
            }
            log.stream().filter(x -> x.startsWith("BUG: ")).forEach(x -> violations.add("dmesg: " + x));
            return new Check(violations, l, new TreeSet<>(loaded ? List.of("kvm") : List.of()));
        }

        @Override
        public List<String> whyVmContradictions(long type) {
            return List.of();
        }

        @Override
        public List<java.util.Set<String>> moduleGroups() {
            return List.of();
        }

        @Override
        public String dmesg() {
            return String.join("\n", log);
        }

        @Override
        public String read(String path) {
            return switch (path) {
                case DirectRunner.PROC_MODULES -> loaded ? "kvm_intel 45056 " + (vm ? 4 : 0)
                        + " - Live 0xffffffffc0017000\n" : "";
                case Vms.KMEMLEAK -> "unreferenced object 0xffff88810001a400 (size 4096):\n"
                        + "  comm \"insmod\", module kvm_intel\n";
                default -> "";
            };
        }
    }

    private static final List<Op> FORCED = List.of(Op.load("kvm_intel"), Op.vmmCreate("--irqchip"),
            Op.forceUnload("kvm_intel"));

    private static List<Op> then(Op op) {
        List<Op> ops = new ArrayList<>(FORCED);
        ops.add(op);
        return ops;
    }

    @Test
    public void theForcedUnloadsLeakAndTheRunsOopsAreTheKernelsAnswer() {
        DirectRunner r = new DirectRunner(new Kernel(false));
        SequenceRunner.Outcome forced = r.run(FORCED);
        assertEquals(List.of(), forced.violations());
        assertEquals("[]||[]|[]|[kvm_intel]|vmm --irqchip/1/freed", forced.state().key(true));
        SequenceRunner.Outcome run = r.run(then(Op.vmRun("")));
        assertEquals(List.of(), run.violations());
        assertEquals(List.of(0, 0, 0, 1), run.statuses());
    }

    @Test
    public void aRunInFreedCodeIsAViolation() {
        SequenceRunner.Outcome run = new DirectRunner(new Kernel(true)).run(then(Op.vmRun("")));
        assertEquals(List.of("vm: `vm run --iterations 4 vm0` succeeded on a VM whose module was freed by a forced "
                + "unload: it ran in freed code instead of oopsing with -EFAULT",
                "vm: `vm run --iterations 4 vm0` on a VM whose module was freed by a forced unload printed no oops"),
                run.violations());
    }
}

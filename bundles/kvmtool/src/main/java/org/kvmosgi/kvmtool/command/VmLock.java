package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.kvmosgi.kvmtool.guest.Arch;
import org.kvmosgi.kvmtool.guest.pvlock.LockStress;
import org.kvmosgi.kvmtool.guest.pvlock.SwitchVariant;
import org.kvmosgi.kvmtool.vmm.Vm;

/**
 * {@code vm lock [--switch V] [--switches N] [--hang-ms T] [--seed S] [--nopvspin] NAME}:
 * boots the pv-lock guest on the VM's vCPUs, flips KVM_HINTS_REALTIME N times while they
 * contend one spinlock, and prints the switches, how long stop_machine held the vCPUs,
 * and whether mutual exclusion held; a failure comes with a command line to rerun it.
 */
public final class VmLock {
    private final Kvmtool tool;

    public VmLock(Kvmtool tool) {
        this.tool = tool;
    }

    public void lock(String... args) {
        execute(System.out, args);
    }

    public void execute(PrintStream out, String... args) {
        SwitchVariant variant = SwitchVariant.STOP_MACHINE;
        int switches = 100;
        int hangMs = 2000;
        long seed = System.nanoTime() & 0xffff;
        boolean nopvspin = false;
        String name = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String next = i + 1 < args.length ? args[i + 1] : "";
            if (a.equals("--switch")) {
                variant = SwitchVariant.byId(next);
                if (variant == null) {
                    throw Kvmtool.fail("unknown switch '" + next + "' (one of: "
                            + Arrays.stream(SwitchVariant.values()).map(v -> v.id).collect(Collectors.joining(", ")) + ")");
                }
                i++;
            } else if (a.equals("--switches")) {
                switches = Kvmtool.intArg(a, next);
                i++;
            } else if (a.equals("--hang-ms")) {
                hangMs = Kvmtool.intArg(a, next);
                i++;
            } else if (a.equals("--seed")) {
                seed = Kvmtool.intArg(a, next);
                i++;
            } else if (a.equals("--nopvspin")) {
                nopvspin = true;
            } else if (a.startsWith("-")) {
                throw Kvmtool.fail("unknown option '" + a + "'");
            } else if (name == null) {
                name = a;
            } else {
                throw Kvmtool.fail("unexpected argument '" + a + "'");
            }
        }
        if (switches < 0 || hangMs < 10) {
            throw Kvmtool.fail(switches < 0 ? "invalid value for --switches: '" + switches + "'" : "--hang-ms must be at least 10");
        }
        if (name == null) {
            throw Kvmtool.fail("usage: vm lock [--switch stop_machine|one_by_one|no_transfer] [--switches N] NAME");
        }
        Vm vm = tool.vm(name);
        if (vm.arch() != Arch.X86_64) {
            throw Kvmtool.fail("the pv lock guest is x86; VM " + name + " is " + vm.arch().machine());
        }
        try {
            LockStress.Result r = LockStress.run(vm, new LockStress.Options(variant, switches, hangMs, seed, nopvspin));
            LockStress.print(vm.name, r, out::println);
            if (r.outcome() != LockStress.Outcome.OK) {
                throw Kvmtool.fail("pv lock: " + r.outcome().text.toLowerCase(java.util.Locale.ROOT) + " with --switch " + variant.id);
            }
        } catch (Vm.VmmException e) {
            throw Kvmtool.fail(e);
        }
    }
}

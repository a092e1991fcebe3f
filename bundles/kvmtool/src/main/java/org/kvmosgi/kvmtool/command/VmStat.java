package org.kvmosgi.kvmtool.command;

import java.io.PrintStream;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvmtool.vmm.Vm;

/** {@code vm stat NAME}: the VM's KVM statistics (as /sys/kernel/debug/kvm shows them). */
public final class VmStat {
    private final Kvmtool tool;

    public VmStat(Kvmtool tool) {
        this.tool = tool;
    }

    public void stat(String... args) {
        execute(System.out, args);
    }

    public void execute(PrintStream out, String... args) {
        if (args.length != 1) {
            throw Kvmtool.fail("usage: vm stat NAME");
        }
        Vm vm = tool.vm(args[0]);
        try {
            long[] s = vm.stats();
            for (int i = 0; i < KvmStat.COUNT; i++) {
                out.printf("%-20s %d%n", KvmStat.name(i), s[i]);
            }
        } catch (Vm.VmmException e) {
            throw Kvmtool.fail(e);
        }
    }
}

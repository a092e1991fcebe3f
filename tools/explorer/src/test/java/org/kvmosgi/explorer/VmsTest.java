package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/**
 * What a forced unload explains and what it must do: the VM pins the modules its creation
 * raised, a forced unload of one frees it, an oops at the freed address and the freed
 * module's leaks are the kernel's answer, and an ioctl on the VM must oops with -EFAULT.
 */
public class VmsTest {
    static final String LOADED = "kvm_intel 45056 0 - Live 0xffffffffc0017000\n"
            + "kvm 94208 1 kvm_intel, Live 0xffffffffc0000000\n";
    static final String WITH_VM = "kvm_intel 45056 4 - Live 0xffffffffc0017000\n"
            + "kvm 94208 1 kvm_intel, Live 0xffffffffc0000000\n";
    static final String FORCED = "kvm 94208 0 - Live 0xffffffffc0000000\n";
    static final String LEAK = "unreferenced object 0xffff88810001a400 (size 4096):\n"
            + "  comm \"insmod\", module kvm_intel\n  kmalloc: vmcs\n";
    static final String OOPS = "dmesg: BUG: unable to handle page fault for address: ffffffffc0017000";

    private static Vms forcedWithVmOpen() {
        Vms v = new Vms();
        Op create = Op.vmmCreate("--irqchip");
        assertTrue(v.needsModules(create));
        v.stepped(create, true, LOADED, WITH_VM);
        assertFalse(v.onFreedVm(Op.vmRun("")));
        Op forced = Op.forceUnload("kvm_intel");
        assertTrue(v.needsModules(forced));
        v.stepped(forced, true, WITH_VM, FORCED);
        return v;
    }

    @Test
    public void aForcedUnloadOfThePinnedModuleFreesTheVm() {
        Vms v = forcedWithVmOpen();
        assertTrue(v.onFreedVm(Op.vmRun("")));
        assertTrue(v.onFreedVm(Op.vmmDestroy()));
        assertEquals("--irqchip/1/freed", v.vmmKey());
        v.stepped(Op.vmmDestroy(), true, null, null);
        assertEquals("", v.vmmKey());
    }

    @Test
    public void kvmUnloadedUnderAnOrphanedVmLeavesItsStructKvmToKmemleak() {
        Vms v = new Vms();
        assertFalse(v.needsModules(Op.unload("kvm")));
        v.stepped(Op.vmCreate(0), true, LOADED, WITH_VM);
        assertFalse(v.needsModules(Op.unload("kvm")));
        v.stepped(Op.forceUnload("kvm_intel"), true, WITH_VM, FORCED);
        assertTrue(v.needsModules(Op.unload("kvm")));
        v.stepped(Op.unload("kvm"), true, FORCED, "");
        assertEquals(List.of(), v.expected(List.of("kmemleak: 2 suspected leaks"), LEAK
                + "unreferenced object 0xffff888100017400 (size 4096):\n  comm \"insmod\", module kvm\n"));
    }

    @Test
    public void aRawStopOfAModuleTheVmDoesNotPinLeavesTheVmLive() {
        Vms v = new Vms();
        v.stepped(Op.vmCreate(0), true, LOADED, WITH_VM);
        v.stepped(Op.rawStop("mod_other"), true, WITH_VM + "mod_other 4096 0 - Live 0xffffffffc0030000\n", WITH_VM);
        assertFalse(v.onFreedVm(Op.vmDestroy()));
        // mod_other went with a VM open: its leftovers are kmemleak's; kvm_intel's are not, nor an oops in it
        assertEquals(List.of(OOPS, "kmemleak: 1 suspected leaks"), v.expected(List.of(OOPS,
                "kmemleak: 1 suspected leaks"), LEAK));
        assertEquals(List.of(), v.expected(List.of("kmemleak: 1 suspected leaks"), LEAK.replace("kvm_intel",
                "mod_other")));
        // without a VM open, a forced unload is not followed: its leaks are violations
        Vms none = new Vms();
        assertFalse(none.needsModules(Op.forceUnload("kvm_intel")));
        assertFalse(none.freedAny());
    }

    @Test
    public void theOopsAtTheFreedAddressAndItsLeaksAreExpectedNothingElse() {
        Vms v = forcedWithVmOpen();
        String other = "dmesg: BUG: unable to handle page fault for address: ffffffffc0000000";
        assertEquals(List.of(other, "refcnt: kvm 0 but 1 holders"), v.expected(List.of(OOPS, other,
                "kmemleak: 1 suspected leaks", "refcnt: kvm 0 but 1 holders"), LEAK));
        String alsoKvm = LEAK + "unreferenced object 0xffff888100020000 (size 64):\n  comm \"insmod\", module kvm\n";
        assertEquals(List.of("kmemleak: 2 suspected leaks"), v.expected(List.of("kmemleak: 2 suspected leaks"),
                alsoKvm));
    }

    @Test
    public void anIoctlOnAFreedVmMustOopsWithEfaultAndOnALiveOneRun() {
        Op run = Op.vmRun("");
        String line = run.line(-1);
        assertEquals(List.of(), Vms.check(run, line, true, 1, "vm: KVMOSGI_GET_STATS failed: Bad address\n", 0, 1));
        assertEquals(List.of("vm: `vm run --iterations 4 vm0` succeeded on a VM whose module was freed by a forced "
                + "unload: it ran in freed code instead of oopsing with -EFAULT",
                "vm: `vm run --iterations 4 vm0` on a VM whose module was freed by a forced unload printed no oops"),
                Vms.check(run, line, true, 0, "", 1, 1));
        assertEquals(List.of("vm: `vm run --iterations 4 vm0` failed on a VM whose modules are live: vm: boom"),
                Vms.check(run, line, false, 1, "vm: boom\n", 0, 0));
        // on PowerPC kvm.ko's own step may fail first, injected, before the call through the freed ops
        assertEquals(List.of(), Vms.check(Op.vcpuCreate(), "vm vcpu vm0", true, true, 1,
                "vm: KVM_CREATE_VCPU failed: Cannot allocate memory\n", 0, 0));
        assertEquals(2, Vms.check(Op.vcpuCreate(), "vm vcpu vm0", true, false, 1,
                "vm: KVM_CREATE_VCPU failed: Cannot allocate memory\n", 0, 0).size());
        // a vCPU creation on a live VM may fail (an injected point): no rule
        assertEquals(List.of(), Vms.check(Op.vcpuCreate(), "vm vcpu vm0", false, 1, "vm: injected\n", 0, 0));
        assertEquals(2, Vms.oopses("x\n[ 1.0] BUG: unable to handle page fault for address: f\n"
                + "[ 1.1] BUG: unable to handle page fault for address: f\n"));
    }

    @Test
    public void procModulesLinesGiveTheirRefcountAndAddress() {
        String text = LOADED + "kvm_amd 1 x - Live 0x0\n\n  short 1 2\nvbox 16384 0 - Live 0XFFFFFFFFC0A00000 (OE)\r\n"
                + "\tspaced\t 8  3   a,b,  Unloading  0xffffffffc0100000";
        java.util.Map<String, Vms.Module> m = Vms.parse(text);
        assertEquals(java.util.Map.of("kvm_intel", new Vms.Module(0, "ffffffffc0017000"), "kvm",
                new Vms.Module(1, "ffffffffc0000000"), "vbox", new Vms.Module(0, "ffffffffc0a00000"), "spaced",
                new Vms.Module(3, "ffffffffc0100000")), m);
        assertTrue(Vms.parse("").isEmpty());
    }
}

package org.kvmosgi.kvm.ppc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kvm.api.KvmIoctl.KVM_CREATE_VM;

import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvm.ppc.module.unified.Kconfig;
import org.kvmosgi.kvm.ppc.module.unified.KvmUnifiedModule;

/** The unified kvm.ko: each Kconfig on each host; it either works or is not loaded at all. */
public class UnifiedTest {
    static final Kconfig BOTH = new Kconfig(true, true), HV = new Kconfig(true, false), PR = new Kconfig(false, true);

    record Load(TestKernel k, KvmUnifiedModule m, int r) {}

    static Load load(String host, Kconfig config) {
        TestKernel k = new TestKernel(Hosts.profile(host));
        ModuleContext ctx = k.context("kvm", CoreTest.kvmParams(HvInitTest.HV_PARAMS));
        KvmUnifiedModule m = new KvmUnifiedModule(config);
        int r = m.init(ctx);
        if (r != 0) {
            k.gone("kvm");
        }
        return new Load(k, m, r);
    }

    @Test
    public void kconfigParsesDotConfigSyntax() {
        assertEquals(BOTH, Kconfig.parse("CONFIG_KVM_BOOK3S_64_HV=y\nCONFIG_KVM_BOOK3S_64_PR=y\n"));
        assertEquals(HV, Kconfig.parse("CONFIG_KVM_BOOK3S_64_HV=y\n# CONFIG_KVM_BOOK3S_64_PR is not set\n"));
        assertEquals(PR, Kconfig.parse("CONFIG_KVM_BOOK3S_64_PR=y\n"));
    }

    @Test
    public void everyConfigurationOnEveryHost() {
        // host, config → result, running implementations
        Object[][] table = {
            {"power8", BOTH, 0, "HV PR"}, {"power8", HV, 0, "HV"}, {"power8", PR, 0, "PR"},
            {"power9", BOTH, 0, "HV"}, {"power9", HV, 0, "HV"}, {"power9", PR, Errno.EIO.neg(), ""},
            {"power9-guest", BOTH, Errno.ENODEV.neg(), ""}, {"power9-guest", HV, Errno.ENODEV.neg(), ""},
            {"power9-guest", PR, Errno.EIO.neg(), ""},
        };
        for (Object[] row : table) {
            Load l = load((String) row[0], (Kconfig) row[1]);
            String what = row[0] + " " + row[1];
            assertEquals(what, row[2], l.r());
            assertEquals(what, row[3], l.m().running());
            if (l.r() != 0) {
                assertFalse(what + ": no /dev/kvm without an implementation", l.k().devices().contains("kvm"));
                assertEquals(what + ": leaks", 0, l.k().liveAllocations("kvm"));
            } else {
                assertTrue(what, l.k().devices().contains("kvm"));
                l.m().exit(null);
                assertEquals(what + ": leaks after exit", 0, l.k().liveAllocations("kvm"));
                assertFalse(l.k().devices().contains("kvm"));
            }
        }
    }

    /**
     * One built-in implementation failing while the other works is the layout's rule, not
     * an ignored error: the load goes on without it and says so (in the split layout
     * {@code modprobe kvm_hv} itself would fail), and a VM of its type is refused.
     */
    @Test
    public void aBuiltInImplementationThatFailsIsNamedAndTheLoadGoesOnWithTheOther() {
        TestKernel k = new TestKernel(Hosts.profile("power8"));
        k.inject("kvm:kvmhv_nested_init", Errno.EINVAL.neg());
        KvmUnifiedModule m = new KvmUnifiedModule(BOTH);
        assertEquals(0, m.init(k.context("kvm", CoreTest.kvmParams(HvInitTest.HV_PARAMS))));
        assertEquals("PR", m.running());
        assertEquals(List.of("kvm: Book3S HV unavailable (error -22), running PR only"), k.dmesg());
        int kvm = k.open("kvm");
        assertEquals(Errno.EINVAL.neg(), k.ioctl(kvm, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_HV));
        assertTrue(k.ioctl(kvm, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_PR) > 0);

        // POWER9's radix MMU refuses PR at every load of the HV+PR build
        assertEquals(List.of("kvm: Book3S PR unavailable (error -5), running HV only"),
                load("power9", BOTH).k().dmesg());
        // a build of one implementation has nothing to say when that one works
        assertEquals(List.of(), load("power9", HV).k().dmesg());
        assertEquals(List.of(), load("power8", BOTH).k().dmesg());
    }

    @Test
    public void vmsPinKvmItself() {
        Load l = load("power8", BOTH);
        int fd = l.k().open("kvm");
        assertEquals(1, l.k().refcount("kvm"));
        assertTrue(l.k().ioctl(fd, KVM_CREATE_VM, PpcKvm.KVM_VM_PPC_PR) > 0);
        assertEquals("open /dev/kvm + the VM's pin + the VM fd", 3, l.k().refcount("kvm"));
    }

    @Test
    public void withoutPackedConfigurationTheLoadFails() {
        TestKernel k = new TestKernel(Hosts.profile("power8"));
        assertEquals(Errno.ENOEXEC.neg(), new KvmUnifiedModule(null).init(k.context("kvm", CoreTest.kvmParams(Map.of()))));
        assertEquals(1, k.dmesg().size());
    }
}

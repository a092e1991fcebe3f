package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Every named step of kvm_intel's init, failed through fail_function: modprobe reports
 * the errno, kvm_intel is gone, /dev/kvm never appeared, the ops are empty, and the next
 * modprobe loads cleanly (so the unwind left nothing behind that would trip it).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FaultInjectionTest extends KvmTestBase {
    private static final String FF = "/sys/kernel/debug/fail_function";

    @Configuration
    public Option[] config() {
        return options(kvmX86("intel"));
    }

    @Test
    public void everyInitStepUnwinds() throws Exception {
        for (String point : List.of("kvm:kvm_mmu_vendor_module_init", "kvm_intel:hardware_setup",
                "kvm_intel:vmx_setup_l1d_flush", "kvm:kvm_init_virtualization", "kvm:misc_register")) {
            sys.write(FF + "/inject", point);
            sys.write(FF + "/" + point + "/retval", "-12");
            sys.write(FF + "/probability", "100");
            sys.write(FF + "/times", "1");
            assertEquals(point, "FAIL: modprobe: ERROR: could not insert 'kvm_intel': Cannot allocate memory",
                    sh.run("modprobe kvm_intel").outOrFailure().trim());
            assertNull(point, kernel.module("kvm_intel"));
            assertFalse(point, devKvmExists());
            assertNull(point, ops().name());
            if (point.equals("kvm:misc_register")) {
                assertTrue(kernel.dmesg().contains("kvm: misc device register failed"));
            }
            sys.write(FF + "/inject", "");
            assertEquals(point, "", sh.run("modprobe kvm_intel").outOrFailure());
            assertTrue(point, devKvmExists());
            assertEquals(point, "", sh.run("rmmod kvm_intel").outOrFailure());
            sys.syslog(true);
        }
    }

    /**
     * Every step of KVM_CREATE_VM and KVM_CREATE_VCPU, failed through fail_function: vm
     * create reports the errno, the modules' references are what they were before (no VM
     * left holding kvm_intel), the invariants hold, the next vm create works, and unloading
     * leaves kmemleak nothing to report. kvm runs with enable_virt_at_load=N, so that
     * KVM_CREATE_VM enables virtualization itself and that step can fail too.
     */
    @Test
    public void everyVmAndVcpuCreationStepGivesBackWhatItTook() throws Exception {
        String[][] points = {
            {"kvm:kvm_arch_alloc_vm", "-12", "KVM_CREATE_VM failed: Cannot allocate memory"},
            {"kvm:kvm_arch_init_vm", "-22", "KVM_CREATE_VM failed: Invalid argument"},
            {"kvm:kvm_enable_virtualization", "-5", "KVM_CREATE_VM failed: Input/output error"},
            {"kvm:anon_inode_getfile", "-23", "KVM_CREATE_VM failed: Too many open files in system"},
            {"kvm:kvm_vcpu_cache_alloc", "-12", "KVM_CREATE_VCPU failed: Cannot allocate memory"},
            {"kvm:kvm_run_page_alloc", "-12", "KVM_CREATE_VCPU failed: Cannot allocate memory"},
            {"kvm:kvm_arch_vcpu_create", "-12", "KVM_CREATE_VCPU failed: Cannot allocate memory"},
            {"kvm:create_vcpu_fd", "-24", "KVM_CREATE_VCPU failed: Too many open files"},
        };
        for (String[] p : points) {
            String point = p[0];
            sys.write("/sys/kernel/debug/kmemleak", "clear");
            assertEquals(point, "", sh.run("modprobe kvm enable_virt_at_load=0").outOrFailure());
            assertEquals(point, "", sh.run("modprobe kvm_intel").outOrFailure());
            int intel = kernel.refcnt("kvm_intel");
            int kvm = kernel.refcnt("kvm");
            sys.write(FF + "/inject", point);
            sys.write(FF + "/" + point + "/retval", p[1]);
            sys.write(FF + "/probability", "100");
            sys.write(FF + "/times", "1");
            assertEquals(point, "FAIL: vm: " + p[2], sh.run("vm create v").outOrFailure().trim());
            sys.write(FF + "/inject", "");
            assertEquals(point + ": kvm_intel's references", intel, kernel.refcnt("kvm_intel"));
            assertEquals(point + ": kvm's references", kvm, kernel.refcnt("kvm"));
            assertEquals(point, "", sys.read("/sys/kernel/debug/kvmosgi/invariants"));
            assertEquals(point, "v: 1 vCPU, 64 KiB\n", sh.run("vm create v").outOrFailure());
            assertEquals(point, "", sh.run("vm destroy v").outOrFailure());
            assertEquals(point, "", sh.run("rmmod kvm_intel").outOrFailure());
            assertEquals(point, "", sh.run("rmmod kvm").outOrFailure());
            assertEquals(point + ": nothing left for kmemleak", "", sys.read("/sys/kernel/debug/kmemleak"));
            assertTrue(point, kernel.dmesg().stream().noneMatch(l -> l.startsWith("kmemleak:") || l.startsWith("BUG:")));
            sys.syslog(true);
        }
    }
}

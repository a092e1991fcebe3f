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
                    run("modprobe kvm_intel").trim());
            assertNull(point, procModule("kvm_intel"));
            assertFalse(point, devKvmExists());
            assertNull(point, ops().name());
            if (point.equals("kvm:misc_register")) {
                assertTrue(dmesg().contains("kvm: misc device register failed"));
            }
            sys.write(FF + "/inject", "");
            assertEquals(point, "", run("modprobe kvm_intel"));
            assertTrue(point, devKvmExists());
            assertEquals(point, "", run("rmmod kvm_intel"));
            sys.syslog(true);
        }
    }
}

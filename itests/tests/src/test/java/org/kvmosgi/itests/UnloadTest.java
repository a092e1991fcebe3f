package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * delete_module's checks in the kernel's order. The forced removals taint the kernel
 * (R), so each scenario that forces is one test method that checks the bit was clear
 * before; {@link ForcedUnloadTest} has the other, in a framework of its own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UnloadTest extends KernelTestBase {
    static final long TAINT_FORCED_RMMOD = 1L << 3;

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    @Test
    public void moduleInUseByAnotherIsEwouldblockEvenWhenForced() throws Exception {
        kernel.insmod("mod_exporter");
        kernel.insmod("mod_importer");
        assertEquals(Errno.EWOULDBLOCK.value(), kernel.deleteModule("mod_exporter", Syscalls.O_NONBLOCK));
        assertEquals(Errno.EWOULDBLOCK.value(), kernel.deleteModule("mod_exporter", Syscalls.O_NONBLOCK | Syscalls.O_TRUNC));
        assertEquals("live", kernel.initstate("mod_exporter"));
        assertEquals(1, kernel.refcnt("mod_exporter"));
        kernel.rmmod("mod_importer");
        kernel.rmmod("mod_exporter");
        assertGone("mod_exporter");
    }

    @Test
    public void permanentModuleIsEbusyUnlessForcedAndForcingTaints() throws Exception {
        assertEquals("nothing forced yet in this framework", 0, kernel.tainted() & TAINT_FORCED_RMMOD);
        kernel.insmod("mod_permanent");
        assertEquals("[permanent],", kernel.module("mod_permanent").usedBy());
        assertEquals(Errno.EBUSY.value(), kernel.deleteModule("mod_permanent", Syscalls.O_NONBLOCK));
        assertEquals("live", kernel.initstate("mod_permanent"));
        assertEquals("refusing does not taint", 0, kernel.tainted() & TAINT_FORCED_RMMOD);

        assertEquals(0, kernel.deleteModule("mod_permanent", Syscalls.O_NONBLOCK | Syscalls.O_TRUNC));
        assertGone("mod_permanent");
        assertNotEquals("forced removal taints (R)", 0, kernel.tainted() & TAINT_FORCED_RMMOD);
    }
}

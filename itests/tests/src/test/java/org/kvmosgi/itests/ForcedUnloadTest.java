package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** An open file pins its module: rmmod is -EWOULDBLOCK until it is closed, unless forced (which taints). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ForcedUnloadTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    @Test
    public void openFileBlocksUnloadUntilClosedOrForced() throws Exception {
        assertEquals(0, kernel.tainted() & UnloadTest.TAINT_FORCED_RMMOD);
        kernel.insmod("mod_chardev");
        int fd = sys.open("/dev/mod_chardev");
        assertEquals("the device answers", 8, sys.ioctl(fd, 7, null));
        assertEquals("the open file holds a reference", 1, kernel.refcnt("mod_chardev"));
        assertEquals(Errno.EWOULDBLOCK.value(), kernel.deleteModule("mod_chardev", Syscalls.O_NONBLOCK));
        sys.close(fd);
        assertEquals(0, kernel.refcnt("mod_chardev"));
        kernel.rmmod("mod_chardev");
        assertGone("mod_chardev");
        assertEquals("nothing forced", 0, kernel.tainted() & UnloadTest.TAINT_FORCED_RMMOD);

        kernel.insmod("mod_chardev");
        int fd2 = sys.open("/dev/mod_chardev");
        assertEquals(0, kernel.deleteModule("mod_chardev", Syscalls.O_NONBLOCK | Syscalls.O_TRUNC));
        assertGone("mod_chardev");
        assertNotEquals("forced removal taints (R)", 0, kernel.tainted() & UnloadTest.TAINT_FORCED_RMMOD);
        try {
            sys.open("/dev/mod_chardev");
            throw new AssertionError("the device outlived its module");
        } catch (ErrnoException e) {
            assertEquals(Errno.ENOENT.value(), e.errno());
        }
        try {
            sys.close(fd2);
        } catch (ErrnoException alreadyGone) {
            // the file of a force-removed module: closing may fail, it must not throw anything else
        }
    }
}

package org.kvmosgi.kernel.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.OpenFile;

public class TestKernelTest {
    private final TestKernel k = new TestKernel(Hosts.profile("intel"));

    /** A device whose ioctl 1 makes an anon-inode fd owned by the same module. */
    private static FileOperations fops() {
        return new FileOperations() {
            @Override
            public long ioctl(OpenFile f, int cmd, Object arg) {
                return cmd == 1 ? f.anonInodeGetFd("thing", "mod_a", this, null) : Errno.ENOTTY.neg();
            }
        };
    }

    @Test
    public void anOpenFilePinsItsOwnerAsTheKernelsDevicesDo() {
        ModuleContext ctx = k.context("mod_a", new HashMap<>());
        assertNotNull(ctx.kernel().miscRegister("mod_a", "mod_a", fops()));
        assertEquals(List.of("mod_a"), k.devices());
        int fd = k.open("mod_a");
        assertTrue(fd >= 3);
        int anon = (int) k.ioctl(fd, 1, null);
        assertTrue(anon > fd);
        assertEquals(2, k.refcount("mod_a"));
        assertEquals(2, k.openFiles());
        assertEquals(0, k.close(anon));
        assertEquals(0, k.close(fd));
        assertEquals(0, k.refcount("mod_a"));
        assertEquals(Errno.EBADF.neg(), k.close(fd));
        assertEquals(Errno.ENOENT.neg(), k.open("nothing"));
    }

    @Test
    public void aGoingModuleCannotBePinned() {
        ModuleContext ctx = k.context("mod_a", new HashMap<>());
        ctx.kernel().miscRegister("mod_a", "mod_a", fops());
        k.gone("mod_a");
        assertEquals(Errno.ENODEV.neg(), k.open("mod_a"));
        assertFalse(ctx.kernel().tryModuleGet("mod_a"));
    }

    @Test
    public void kmallocIsChargedToTheModuleUntilKfree() {
        ModuleContext ctx = k.context("mod_a", new HashMap<>());
        Allocation a = ctx.kernel().kmalloc("table", 4096);
        assertEquals(List.of("table"), k.allocationsOf("mod_a"));
        a.free();
        assertEquals(0, k.liveAllocations("mod_a"));
        a.free();
        assertEquals(List.of("BUG: mod_a: double kfree of table"), k.dmesg());
    }

    @Test
    public void anArmedStepFailsEveryTimeAndTheStepsAreRecorded() {
        Map<String, String> params = new HashMap<>(Map.of("n", "3", "on", "Y"));
        ModuleContext ctx = k.context("mod_a", params);
        k.inject("mod_a:setup", Errno.ENOMEM.neg());
        assertEquals(Errno.ENOMEM.neg(), ctx.step("setup", () -> 0));
        assertEquals(Errno.ENOMEM.neg(), ctx.step("setup", () -> 0));
        assertEquals(7, ctx.step("other", () -> 7));
        assertEquals(List.of("mod_a:setup", "mod_a:setup", "mod_a:other"), k.steps());
        assertEquals(3, ctx.params().integer("n"));
        assertTrue(ctx.params().bool("on"));
        ctx.log().info("up %d", 1);
        assertEquals(List.of("mod_a: up 1"), k.dmesg());
    }
}

package org.kvmosgi.kernel.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.Test;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.OpenFile;
import org.kvmosgi.kernel.api.syscall.Syscalls;

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

    /** A module file's code: the class the file's Bundle-Activator names, here on the test's class path. */
    public static final class Hello extends KernelModule {
        @Override
        public int init(ModuleContext ctx) {
            ctx.log().info("hello from %s", ctx.name());
            return 0;
        }

        @Override
        public void exit(ModuleContext ctx) {
            ctx.log().info("goodbye");
        }
    }

    /** A module file below the kernel's root, as bnd packs one: the .modinfo in the manifest. */
    private static String moduleFile(TestKernel k, String name, Class<? extends KernelModule> code) throws Exception {
        String path = "/lib/modules/" + TestKernel.RELEASE + "/extra/" + name + ".ko";
        Path f = k.syscalls().hostPath(path);
        Files.createDirectories(f.getParent());
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(new Attributes.Name("Bundle-SymbolicName"), name);
        a.put(new Attributes.Name("Bundle-Activator"), code.getName());
        a.put(new Attributes.Name("Provide-Capability"), "kernel.module;kernel.module=" + name + ";license=GPL");
        try (OutputStream o = Files.newOutputStream(f); JarOutputStream j = new JarOutputStream(o, mf)) {
            // the class comes from the test's class path, the kernel's headers' loader
        }
        return path;
    }

    @Test
    public void userSpaceCallsTheKernelsOwnSystemCalls() throws Exception {
        Syscalls sys = k.syscalls();
        assertEquals(Errno.ENXIO.value(), assertThrows(ErrnoException.class, () -> sys.open("/proc/modules")).errno());
        k.context("mod_a", new HashMap<>()).kernel().miscRegister("mod_a", "mod_a", fops());
        assertTrue(sys.read("/proc/modules"), sys.read("/proc/modules").startsWith("mod_a "));
        int fd = sys.open("/dev/mod_a");
        assertEquals(1, k.refcount("mod_a"));
        sys.close(fd);
        assertEquals(TestKernel.RELEASE, sys.kernelRelease());
    }

    @Test
    public void aModuleFileLoadsThroughTheKernelsLoader() throws Exception {
        Syscalls sys = k.syscalls();
        String path = moduleFile(k, "hello", Hello.class);
        sys.finitModule(path, "", 0);
        assertTrue(k.dmesg().toString(), k.dmesg().contains("hello: hello from hello"));
        assertEquals("live\n", sys.read("/sys/module/hello/initstate"));
        assertEquals(Errno.EEXIST.value(),
                assertThrows(ErrnoException.class, () -> sys.finitModule(path, "", 0)).errno());
        sys.deleteModule("hello", 0);
        assertTrue(k.dmesg().toString(), k.dmesg().contains("hello: goodbye"));
        assertEquals(Errno.ENOENT.value(), assertThrows(ErrnoException.class, () -> sys.read("/sys/module/hello")).errno());
        assertEquals(Errno.ENOENT.value(),
                assertThrows(ErrnoException.class, () -> sys.finitModule("/lib/modules/none.ko", "", 0)).errno());
    }
}

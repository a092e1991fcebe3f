package org.kvmosgi.kernel.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
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
        String path = k.moduleFile("/lib/modules/" + TestKernel.RELEASE + "/extra/hello.ko", ModuleFile.of("hello", Hello.class));
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

    @Test
    public void aModuleFileThatChangedIsReadAgainAndOneThatDidNotIsKept() throws Exception {
        Syscalls sys = k.syscalls();
        String path = "/lib/modules/" + TestKernel.RELEASE + "/extra/hello.ko";
        k.moduleFile(path, ModuleFile.of("hello", Hello.class));
        sys.finitModule(path, "", 0);
        sys.deleteModule("hello", Syscalls.O_NONBLOCK);
        // a new build of the module: the next finit_module's stat shows another file
        k.moduleFile(path, ModuleFile.of("hello", Hello.class).param("greeting", "CHARP", "hi", "0444"));
        sys.finitModule(path, "greeting=hello", 0);
        assertEquals("hello\n", sys.read("/sys/module/hello/parameters/greeting"));
        sys.deleteModule("hello", Syscalls.O_NONBLOCK);
        sys.finitModule(path, "", 0);
        assertEquals("hi\n", sys.read("/sys/module/hello/parameters/greeting"));
    }

    @Test
    public void aModuleLoadedFromClassesExportsIntoTheKernelsSymbolTable() throws Exception {
        assertEquals(0, k.load("exporter", new Exporter(), new HashMap<>()));
        Syscalls sys = k.syscalls();
        String importer = k.moduleFile("/lib/modules/" + TestKernel.RELEASE + "/extra/importer.ko",
                ModuleFile.of("importer", Hello.class).imports("hello_fn"));
        sys.finitModule(importer, "", 0);
        assertEquals(List.of("importer"), k.holders("exporter"));
        assertEquals(Errno.EBUSY.neg(), k.unload("exporter"));
        sys.deleteModule("importer", Syscalls.O_NONBLOCK);
        assertEquals(0, k.unload("exporter"));
        assertEquals(null, k.symbol("hello_fn"));
        // given to named modules only, as EXPORT_SYMBOL_FOR_MODULES: the loader's answer to any other
        k.exportFor((module, symbol) -> List.of("friend"));
        assertEquals(0, k.load("exporter", new Exporter(), new HashMap<>()));
        assertEquals(Errno.EINVAL.value(), assertThrows(ErrnoException.class, () -> sys.finitModule(importer, "", 0))
                .errno());
        assertTrue(k.dmesg().toString(), k.dmesg().contains(
                "importer: module uses symbol (hello_fn) from namespace module:friend, but does not import it."));
    }

    /** A module whose init and exit are steps fail_function can fail, and which exports one symbol. */
    public static final class Exporter extends KernelModule {
        @Override
        public void exports(SymbolExports exports) {
            exports.put("hello_fn", Runnable.class, () -> {});
        }

        @Override
        public int init(ModuleContext ctx) {
            return ctx.step("init", () -> 0);
        }

        @Override
        public void exit(ModuleContext ctx) {
            // nothing to undo
        }
    }

    @Test
    public void aModuleFilesModinfoIsTheKernelsAndFailFunctionFailsItsInit() throws Exception {
        TestKernel k = TestKernel.builder(Hosts.profile("intel")).release("4.4.4")
                .cmdline("root=/dev/vda module_blacklist=blocked").build();
        RecordedSyscalls sys = new RecordedSyscalls(k.syscalls());
        assertEquals("4.4.4", sys.kernelRelease());
        assertEquals("root=/dev/vda module_blacklist=blocked\n", sys.read("/proc/cmdline"));
        String dir = "/lib/modules/4.4.4/extra/";
        String exporter = k.moduleFile(dir + "exporter.ko", ModuleFile.of("exporter", Exporter.class)
                .exports("hello_fn").steps("init").param("level", "INT", "1", "0444").alias("x-exporter"));
        String importer = k.moduleFile(dir + "importer.ko", ModuleFile.of("importer", Hello.class)
                .imports("hello_fn"));
        String blocked = k.moduleFile(dir + "blocked.ko", ModuleFile.of("blocked", Hello.class));
        assertEquals(Errno.ENOENT.value(), assertThrows(ErrnoException.class, () -> sys.finitModule(importer, "", 0))
                .errno());
        assertTrue(k.dmesg().toString(), k.dmesg().contains("importer: Unknown symbol hello_fn (err -2)"));
        k.inject("exporter:init", Errno.EOPNOTSUPP.neg());
        assertEquals(Errno.EOPNOTSUPP.value(),
                assertThrows(ErrnoException.class, () -> sys.finitModule(exporter, "level=3", 0)).errno());
        assertEquals(List.of(), k.modules());
        sys.write("/sys/kernel/debug/fail_function/inject", "");
        sys.finitModule(exporter, "level=3", 0);
        sys.finitModule(importer, "", 0);
        assertEquals("3\n", sys.read("/sys/module/exporter/parameters/level"));
        assertEquals(List.of("importer", "exporter"), k.modules());
        assertEquals("1\n", sys.read("/sys/module/exporter/refcnt"));
        assertEquals(Errno.EPERM.value(), assertThrows(ErrnoException.class, () -> sys.finitModule(blocked, "", 0))
                .errno());
        sys.deleteModule("importer", Syscalls.O_NONBLOCK);
        assertEquals(List.of("finit_module " + importer + " ''", "finit_module " + exporter + " 'level=3'",
                "finit_module " + exporter + " 'level=3'", "finit_module " + importer + " ''",
                "finit_module " + blocked + " ''", "delete_module importer 4000"), sys.calls());
        sys.clear();
        assertEquals(List.of(), sys.calls());
    }
    /**
     * Without a framework the kernel stands in for one's raw stop and start of a module
     * bundle (felix:stop, felix:start): a file loaded since boot has a bundle id; its stop
     * unloads the modules using it first, as a module bundle's stop does; its start loads it
     * without finit_module's parameters, and does nothing while it is there.
     */
    @Test
    public void aLoadedFilesBundleStopsThroughItsHoldersAndStartsWithoutParameters() throws Exception {
        Syscalls sys = k.syscalls();
        String dir = "/lib/modules/" + TestKernel.RELEASE + "/extra/";
        String exporter = k.moduleFile(dir + "exporter.ko", ModuleFile.of("exporter", Exporter.class)
                .exports("hello_fn").param("level", "INT", "1", "0444"));
        String importer = k.moduleFile(dir + "mod-importer.ko", ModuleFile.of("mod-importer", Hello.class)
                .imports("hello_fn"));
        org.kvmosgi.kernel.fs.JarModuleFiles files = k.moduleFiles();
        assertEquals("no file loaded: no bundle", -1, files.rawId("exporter"));
        assertEquals(Errno.ENOENT.neg(), files.rawStart("exporter"));
        sys.finitModule(exporter, "level=3", 0);
        sys.finitModule(importer, "", 0);
        assertEquals(0, files.rawId("exporter"));
        assertEquals("a bundle's name is the file's, kvm-hv for module kvm_hv", 1, files.rawId("mod_importer"));

        files.rawStop("exporter");
        assertEquals(List.of(), k.modules());
        assertTrue(k.dmesg().toString(),
                k.dmesg().contains("exporter: framework stop of a module in use: unloading mod_importer first"));
        assertEquals("its import is gone: the start fails as the load does", Errno.ENOENT.neg(),
                files.rawStart("mod_importer"));
        assertEquals(0, files.rawStart("exporter"));
        assertEquals("1\n", sys.read("/sys/module/exporter/parameters/level"));
        assertEquals("started already: nothing to do", 0, files.rawStart("exporter"));
        assertEquals(List.of("exporter"), k.modules());
        files.rawStop("mod_importer");
        assertEquals(List.of("exporter"), k.modules());
    }
}

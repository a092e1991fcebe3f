package org.kvmosgi.kmod.tool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.kmod.TestModules.module;

import java.nio.file.Files;
import java.util.List;
import org.junit.Before;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.ModuleFile;
import org.kvmosgi.kernel.testkit.RecordedSyscalls;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kmod.Run;
import org.kvmosgi.kmod.TestModules;

/** The tools end to end against the kernel (the test kit's, no framework): messages, exit status, output formats. */
public class ToolsTest {
    static final String DIR = "/lib/modules/" + TestKernel.RELEASE;
    TestKernel k;
    /** The kernel's system calls, with the module calls the tools made written down. */
    RecordedSyscalls sys;

    @Before
    public void tree() throws Exception {
        boot("");
    }

    /** A kernel booted with {@code cmdline}, the test's module files below its /lib/modules, depmod run. */
    void boot(String cmdline) throws Exception {
        k = TestKernel.builder(Hosts.profile("intel")).cmdline(cmdline).build();
        sys = new RecordedSyscalls(k.syscalls());
        Files.createDirectories(sys.hostPath("/etc/modprobe.d"));
        install("kernel/virt/lib/irqbypass.ko", module("irqbypass", TestModules.IrqBypass.class)
                .exports("irq_bypass_register_consumer"));
        install("kernel/arch/x86/kvm/kvm.ko", kvm());
        install("kernel/arch/x86/kvm/kvm-intel.ko", module("kvm_intel", TestModules.WithDevice.class)
                .imports("kvm_init").alias("cpu:type:x86,ven*fam*mod*:feature:*0085*")
                .param("nested", "BOOL", "Y", "0444"));
        install("kernel/arch/x86/kvm/kvm-amd.ko", module("kvm_amd", TestModules.Plain.class).imports("kvm_init"));
        install("kernel/drivers/broken.ko", module("broken", TestModules.Plain.class).imports("nobody_exports_this"));
        assertNull(depmod().failure);
    }

    static ModuleFile kvm() {
        return module("kvm", TestModules.KvmInit.class).exports("kvm_init").imports("irq_bypass_register_consumer")
                .alias("devname:kvm", "char-major-10-232");
    }

    /** A module file below /lib/modules/RELEASE. */
    void install(String relpath, ModuleFile file) {
        k.moduleFile(DIR + "/" + relpath, file);
    }

    /** The modules /proc/modules lists, newest first. */
    List<String> loaded() {
        return k.modules();
    }

    Run depmod(String... args) {
        return Run.of((o, e, i) -> new DepmodTool(sys, o, e).main(args));
    }

    Run modprobe(String... args) {
        return Run.of((o, e, i) -> new Modprobe(sys, o, e).main(args));
    }

    Run insmod(String... args) {
        return Run.of((o, e, i) -> new Insmod(sys, o, e).main(args));
    }

    Run rmmod(String... args) {
        return Run.of((o, e, i) -> new Rmmod(sys, o, e).main(args));
    }

    Run lsmod(String... args) {
        return Run.of((o, e, i) -> new Lsmod(sys, o, e).main(args));
    }

    Run modinfo(String... args) {
        return Run.of((o, e, i) -> new Modinfo(sys, o, e).main(args));
    }

    // ------------------------------------------------------------ depmod

    @Test
    public void depmodWritesTheIndexes() throws Exception {
        String dep = Files.readString(sys.hostPath(DIR + "/modules.dep"));
        // no modules.order: depmod leaves its modules in its hash table's order (KmodHash)
        assertEquals("kernel/virt/lib/irqbypass.ko:\n"
                + "kernel/arch/x86/kvm/kvm-amd.ko: kernel/arch/x86/kvm/kvm.ko kernel/virt/lib/irqbypass.ko\n"
                + "kernel/drivers/broken.ko:\n"
                + "kernel/arch/x86/kvm/kvm-intel.ko: kernel/arch/x86/kvm/kvm.ko kernel/virt/lib/irqbypass.ko\n"
                + "kernel/arch/x86/kvm/kvm.ko: kernel/virt/lib/irqbypass.ko\n", dep);
        String symbols = Files.readString(sys.hostPath(DIR + "/modules.symbols"));
        assertTrue(symbols.contains("alias symbol:kvm_init kvm\n"));
        String devname = Files.readString(sys.hostPath(DIR + "/modules.devname"));
        assertTrue(devname.endsWith("kvm kvm c10:232\n"));
    }

    @Test
    public void depmodDryRunAndUnknownSymbols() {
        Run r = depmod("-n", "-e");
        assertNull(r.failure);
        assertTrue(r.out, r.out.startsWith("kernel/virt/lib/irqbypass.ko:\nkernel/arch/x86/kvm/kvm-amd.ko: "));
        assertTrue(r.out.contains("# Aliases for symbols, used by symbol_request().\n"));
        assertEquals("depmod: WARNING: " + DIR + "/kernel/drivers/broken.ko needs unknown symbol nobody_exports_this\n",
                r.stderr());
    }

    @Test
    public void depmodReportsCycles() throws Exception {
        install("kernel/loop/loop_a.ko", module("loop_a", TestModules.AFn.class).exports("a_fn").imports("b_fn"));
        install("kernel/loop/loop_b.ko", module("loop_b", TestModules.BFn.class).exports("b_fn").imports("a_fn"));
        Run r = depmod();
        // the walk starts at the first looped module in depmod's hash order: loop_b
        assertEquals("depmod: ERROR: Cycle detected: loop_b -> loop_a -> loop_b\n", r.err);
        assertEquals("depmod: ERROR: Found 2 modules in dependency cycles!", r.failure);
        assertEquals(1, r.status);
    }

    @Test
    public void depmodLastExporterWinsSilently() throws Exception {
        install("kernel/zz/kvm-again.ko", module("kvm_again", TestModules.KvmInit.class).exports("kvm_init"));
        k.file(DIR + "/modules.order", "kernel/virt/lib/irqbypass.ko\nkernel/arch/x86/kvm/kvm.ko\n"
                + "kernel/arch/x86/kvm/kvm-intel.ko\nkernel/arch/x86/kvm/kvm-amd.ko\nkernel/zz/kvm-again.ko\n");
        Run r = depmod();
        assertNull(r.failure);
        assertEquals("", r.err);
        String dep = Files.readString(sys.hostPath(DIR + "/modules.dep"));
        assertTrue(dep, dep.contains("kernel/arch/x86/kvm/kvm-intel.ko: kernel/zz/kvm-again.ko\n"));
    }

    // ------------------------------------------------------------ modprobe

    @Test
    public void showDependsDeepestFirstWithTrailingSpace() {
        Run r = modprobe("--show-depends", "kvm-intel");
        assertNull(r.failure);
        assertEquals("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm.ko \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm-intel.ko \n", r.out);
        assertTrue(loaded().isEmpty());
    }

    @Test
    public void dryRunIsSilentUnlessVerbose() {
        assertEquals("", modprobe("-n", "kvm").out);
        assertEquals("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \ninsmod " + DIR
                + "/kernel/arch/x86/kvm/kvm.ko \n", modprobe("-nv", "kvm").out);
        assertTrue(loaded().isEmpty());
    }

    @Test
    public void loadsDeepestFirstAndLoadedIsSuccess() {
        Run r = modprobe("kvm_intel", "nested=1");
        assertNull(r.failure);
        assertEquals(List.of("finit_module " + DIR + "/kernel/virt/lib/irqbypass.ko ''",
                "finit_module " + DIR + "/kernel/arch/x86/kvm/kvm.ko ''",
                "finit_module " + DIR + "/kernel/arch/x86/kvm/kvm-intel.ko 'nested=1'"), sys.calls());
        sys.clear();
        assertNull(modprobe("kvm-intel").failure);
        assertTrue(sys.calls().isEmpty());
        Run again = modprobe("--first-time", "kvm-intel");
        assertEquals("modprobe: ERROR: could not insert 'kvm_intel': Module already in kernel", again.failure);
    }

    @Test
    public void notFoundIsFatal() {
        Run r = modprobe("nosuch-module");
        assertEquals("modprobe: FATAL: Module nosuch-module not found in directory " + DIR, r.failure);
        assertEquals(1, r.status);
        Run q = modprobe("-q", "nosuch-module");
        assertEquals("", q.failure);
        assertEquals(1, q.status);
    }

    @Test
    public void unknownSymbolStopsWithoutRollback() throws Exception {
        k.inject("kvm_intel:init", Errno.EOPNOTSUPP.neg());
        Run r = modprobe("kvm-intel");
        assertEquals("modprobe: ERROR: could not insert 'kvm_intel': Operation not supported", r.failure);
        assertTrue(loaded().contains("kvm"));
        assertTrue(loaded().contains("irqbypass"));
        Run broken = modprobe("broken");
        assertEquals("modprobe: ERROR: could not insert 'broken': Unknown symbol in module, or unknown parameter "
                + "(see dmesg)", broken.failure);
    }

    @Test
    public void aDependencyFailingIsReportedUnderTheTargetsName() {
        k.inject("kvm:init", Errno.ENOMEM.neg());
        Run r = modprobe("kvm_amd");
        assertEquals("modprobe: ERROR: could not insert 'kvm_amd': Cannot allocate memory", r.failure);
        assertTrue(loaded().contains("irqbypass"));
        assertFalse(loaded().contains("kvm_amd"));
    }

    @Test
    public void optionsFromConfigThenCmdlineThenArguments() throws Exception {
        boot("root=/dev/vda kvm_intel.ept=0");
        k.file("/etc/modprobe.d/kvm.conf", "options kvm halt_poll_ns=1\noptions kvm-intel nested=0\n");
        Run r = modprobe("--show-depends", "kvm-intel", "nested=1", "desc=a b");
        assertEquals("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm.ko halt_poll_ns=1 \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm-intel.ko nested=0 ept=0 nested=1 desc=\"a b\"\n",
                r.out);
    }

    @Test
    public void aliasesBlacklistAndResolve() throws Exception {
        k.file("/etc/modprobe.d/a.conf", "alias my-hv kvm_amd\nblacklist kvm_amd\n");
        assertEquals("kvm_amd\n", modprobe("-R", "my-hv").out);
        assertEquals("kvm_intel\n", modprobe("-R", "cpu:type:x86,ven0000fam0006mod003A:feature:,0085,").out);
        // blacklisted and asked for by alias: nothing happens, and that is success
        Run viaAlias = modprobe("my-hv");
        assertNull(viaAlias.failure);
        assertTrue(loaded().isEmpty());
        // by its own name the blacklist does not apply unless -b
        assertNull(modprobe("-b", "kvm_amd").failure);
        assertTrue(loaded().isEmpty());
        assertNull(modprobe("kvm_amd").failure);
        assertTrue(loaded().contains("kvm_amd"));
    }

    @Test
    public void softdepsAroundTheModuleAndLoopsBroken() throws Exception {
        k.file("/etc/modprobe.d/soft.conf", "softdep kvm_amd pre: kvm_intel post: broken\n"
                + "softdep kvm_intel pre: kvm_amd\n");
        Run r = modprobe("--show-depends", "kvm_amd");
        // libkmod appends a pre softdep's dependencies again (fill_softdep has no visited check);
        // loading skips them as already loaded, --show-depends prints them twice, as kmod does
        assertEquals("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm.ko \n"
                + "insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm.ko \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm-intel.ko \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm-amd.ko \n"
                + "insmod " + DIR + "/kernel/drivers/broken.ko \n", r.out);
        // a failing softdep is not an error of the target
        Run load = modprobe("kvm_amd");
        assertNull(load.failure);
        assertTrue(loaded().contains("kvm_amd"));
        assertFalse(loaded().contains("broken"));
    }

    @Test
    public void softdepAndAliasLoopsEndOnRemovalToo() throws Exception {
        k.file("/etc/modprobe.d/loop.conf", "alias kvm* kvm\nsoftdep kvm post: kvm_intel\nsoftdep kvm_intel post: kvm\n"
                + "softdep kvm_amd pre: kvm_amd post: kvm_amd\n");
        assertNull(modprobe("kvm").failure);
        Run r = modprobe("-r", "kvm_intel");
        assertNull(r.err, r.failure);
        assertFalse(loaded().contains("kvm"));
        k.file("/etc/modprobe.d/loop.conf", "softdep kvm post: kvm_intel\nsoftdep kvm_intel post: kvm\n");
        assertNull(modprobe("kvm_intel").failure);
        sys.clear();
        // the post softdep goes first; kvm_intel still holds it, and kmod's log ends modprobe at FATAL
        assertEquals("modprobe: FATAL: Module kvm is in use.", modprobe("-r", "kvm_intel").failure);
        assertEquals(List.of(), sys.calls());
        assertTrue(loaded().contains("kvm_intel"));
        assertNull(modprobe("-r", "-i", "kvm_intel").failure);
        assertFalse(loaded().contains("kvm_intel"));
    }

    @Test
    public void moduleSoftdepFromModulesSoftdepSortedAmongConfigFiles() throws Exception {
        install("kernel/drivers/soft.ko", module("soft", TestModules.Plain.class).softdep("pre: irqbypass"));
        assertNull(depmod().failure);
        assertEquals("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \ninsmod " + DIR + "/kernel/drivers/soft.ko \n",
                modprobe("--show-depends", "soft").out);
        // a.conf sorts before modules.softdep: its line is the first match; z.conf's comes too late
        k.file("/etc/modprobe.d/z.conf", "softdep soft pre: kvm_amd\n");
        assertTrue(modprobe("--show-depends", "soft").out.startsWith("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \n"));
        k.file("/etc/modprobe.d/a.conf", "softdep soft post: irqbypass\n");
        assertEquals("insmod " + DIR + "/kernel/drivers/soft.ko \ninsmod " + DIR + "/kernel/virt/lib/irqbypass.ko \n",
                modprobe("--show-depends", "soft").out);
    }

    @Test
    public void installCommandsAreRefused() throws Exception {
        k.file("/etc/modprobe.d/i.conf", "install kvm_amd /sbin/modprobe --ignore-install kvm_amd\n");
        Run r = modprobe("kvm_amd");
        assertEquals("modprobe: ERROR: could not insert 'kvm_amd': Invalid argument", r.failure);
        assertTrue(r.err, r.err.startsWith("modprobe: ERROR: Error running install command"));
        assertNull(modprobe("-i", "kvm_amd").failure);
        assertTrue(loaded().contains("kvm_amd"));
    }

    @Test
    public void removeTakesUnusedDependenciesAlongAsLibkmodOrdersThem() {
        assertNull(modprobe("kvm_intel").failure);
        Run inUse = modprobe("-r", "kvm");
        assertEquals("modprobe: FATAL: Module kvm is in use.", inUse.failure);
        sys.clear();
        Run r = modprobe("-r", "kvm-intel");
        assertNull(r.failure);
        // dependencies are visited deepest first: irqbypass is still held by kvm when its turn comes
        assertEquals(List.of("delete_module kvm_intel 4000", "delete_module kvm 4000"), sys.calls());
        assertEquals(List.of("irqbypass"), loaded());
        assertNull(modprobe("-r", "kvm_intel").failure);
        assertEquals("modprobe: FATAL: Module kvm_intel is not in kernel.",
                modprobe("-r", "--first-time", "kvm_intel").failure);
        assertEquals("modprobe: FATAL: Module nosuch not found.", modprobe("-r", "nosuch").failure);
        // FATAL ends modprobe at once: the names after it are not looked at
        assertNull(modprobe("kvm_amd").failure);
        assertEquals("modprobe: FATAL: Module nosuch not found.", modprobe("-r", "nosuch", "kvm_amd").failure);
        assertTrue(loaded().contains("kvm_amd"));
        // with -a, a missing module is a warning and the others are loaded
        Run all = modprobe("-a", "nosuch", "kvm_intel");
        assertEquals("modprobe: WARNING: Module nosuch not found in directory " + DIR, all.failure);
        assertTrue(loaded().contains("kvm_intel"));
    }

    @Test
    public void oddInputsGiveMessagesNotExceptions() throws Exception {
        java.nio.file.Files.writeString(sys.hostPath(DIR + "/kernel/drivers/garbage.ko"), "not a zip");
        Run d = depmod();
        assertEquals("depmod: ERROR: failed to load symbols from " + DIR + "/kernel/drivers/garbage.ko: Exec format error",
                d.stderr().strip());
        assertTrue(Files.readString(sys.hostPath(DIR + "/modules.dep")).contains("kernel/drivers/garbage.ko:\n"));
        assertEquals("modprobe: ERROR: could not insert 'garbage': Exec format error", modprobe("garbage").failure);
        assertEquals("modinfo: ERROR: could not get modinfo from 'garbage': Exec format error",
                modinfo("garbage").failure);
        assertEquals("modprobe: FATAL: Module  not found in directory " + DIR, modprobe("").failure);
        assertEquals(1, modprobe("[").status);
        // libkmod's initstate of "" opens /sys/module//initstate (no such file), then finds
        // /sys/module/ a directory: a module coming up; its refcnt file is missing too, which
        // check_module_inuse reports as a kernel without module unloading, as kmod does on Linux
        assertEquals("rmmod: ERROR: Module unloading is not supported", rmmod("").failure);
        assertEquals("modinfo: ERROR: Module  not found.", modinfo("").failure);
        assertEquals("modprobe: FATAL: Module ./nope.ko not found in directory " + DIR, modprobe("nope.ko").failure
                .replace("nope.ko", "./nope.ko"));
        assertEquals("modprobe: FATAL: Failed to get module from path ./nope.ko: No such file or directory",
                modprobe("./nope.ko").failure);
        assertEquals("depmod: ERROR: could not open directory /lib/modules/9.9.9: No such file or directory",
                depmod("9.9.9").failure);
        assertEquals("modprobe: option '--set-version' requires an argument", modprobe("--set-version").failure);
    }

    @Test
    public void missingName() {
        assertEquals("modprobe: ERROR: missing parameters. See -h.", modprobe().failure);
        assertEquals("modprobe: invalid option -- 'z'", modprobe("-z", "x").failure);
    }

    // ------------------------------------------------------------ insmod / rmmod

    @Test
    public void insmodMessages() {
        assertEquals("insmod: ERROR: could not load module /nope.ko: No such file or directory",
                insmod("/nope.ko").failure);
        assertEquals("insmod: ERROR: could not insert module " + DIR + "/kernel/arch/x86/kvm/kvm.ko: "
                + "Unknown symbol in module", insmod(DIR + "/kernel/arch/x86/kvm/kvm.ko").failure);
        assertNull(insmod(DIR + "/kernel/virt/lib/irqbypass.ko").failure);
        assertEquals("insmod: ERROR: could not insert module " + DIR + "/kernel/virt/lib/irqbypass.ko: "
                + "File exists", insmod(DIR + "/kernel/virt/lib/irqbypass.ko").failure);
        assertEquals("insmod: ERROR: this tool does not support loading from stdin!", insmod("-").failure);
        assertEquals("insmod: ERROR: missing filename.", insmod().failure);
        assertEquals("Invalid module format", Insmod.modStrerror(Errno.ENOEXEC.value()));
        assertEquals("Module has wrong symbol version", Insmod.modStrerror(Errno.ESRCH.value()));
        assertEquals("Invalid parameters", Insmod.modStrerror(Errno.EINVAL.value()));
        assertEquals("Operation not permitted", Insmod.modStrerror(Errno.EPERM.value()));
    }

    @Test
    public void rmmodPrechecksAndKernelFailure() throws Exception {
        assertNull(modprobe("kvm_intel").failure);
        assertEquals("rmmod: ERROR: Module nosuch is not currently loaded", rmmod("nosuch").failure);
        assertEquals("rmmod: ERROR: Module kvm is in use by: kvm_intel", rmmod("kvm").failure);
        // an open file of kvm_intel's device pins it: a reference that is no other module's
        int fd = sys.open("/dev/kvm_intel");
        assertEquals("1\n", sys.read("/sys/module/kvm_intel/refcnt"));
        assertEquals("rmmod: ERROR: Module kvm_intel is in use", rmmod("kvm-intel").failure);
        // forced: no prechecks, the kernel decides
        assertEquals("rmmod: ERROR: could not remove module kvm: Resource temporarily unavailable",
                rmmod("-f", "kvm").failure);
        assertNull(rmmod("-f", DIR + "/kernel/arch/x86/kvm/kvm-intel.ko").failure);
        assertEquals("rmmod: ERROR: missing module name.", rmmod().failure);
        Run two = rmmod("nosuch", "kvm");
        // every name is tried; one failure makes the exit status 1
        assertEquals("", two.err);
        assertEquals("rmmod: ERROR: Module nosuch is not currently loaded", two.failure);
        assertFalse(loaded().contains("kvm"));
        // the file a forced unload left open still closes
        sys.close(fd);
    }

    // ------------------------------------------------------------ lsmod / modinfo

    @Test
    public void lsmodTable() {
        assertNull(modprobe("kvm_intel").failure);
        Run r = lsmod();
        // each module's size is its code's, rounded up to pages (/proc/modules); a wide size is lsmodRow's
        assertEquals("Module                  Size  Used by\n"
                + "kvm_intel               4096  0\n"
                + "kvm                     4096  1 kvm_intel\n"
                + "irqbypass               4096  1 kvm\n", r.out);
        assertEquals("lsmod: ERROR: too many arguments provided.", lsmod("x").failure);
    }

    @Test
    public void lsmodRow() {
        assertEquals("kvm                  1339392  2 kvm_intel,kvm_amd",
                Lsmod.row("kvm", 1339392, 2, List.of("kvm_intel", "kvm_amd")));
        assertEquals("a_very_long_module_name_x    16384  0", Lsmod.row("a_very_long_module_name_x", 16384, 0, List.of()));
    }

    @Test
    public void modinfoFormat() {
        Run r = modinfo("kvm");
        assertNull(r.failure);
        assertEquals("filename:       " + DIR + "/kernel/arch/x86/kvm/kvm.ko\n"
                + "license:        GPL\n"
                + "description:    the kvm module\n"
                + "alias:          devname:kvm\n"
                + "alias:          char-major-10-232\n"
                + "depends:        irqbypass\n"
                + "name:           kvm\n", r.out);
        assertEquals("irqbypass\n", modinfo("-F", "depends", "kvm").out);
        assertEquals(DIR + "/kernel/arch/x86/kvm/kvm-intel.ko\n", modinfo("-n", "kvm-intel").out);
        assertEquals("modinfo: ERROR: Module nosuch not found.", modinfo("nosuch").failure);
        assertEquals("modinfo: ERROR: Module name devname:kvm not found.", modinfo("-m", "devname:kvm").failure);
        assertTrue(modinfo("devname:kvm").out.contains("name:           kvm\n"));
        assertEquals("kvm\n", modinfo("-F", "name", "-m", "kvm").out);
        assertTrue(modinfo(DIR + "/kernel/virt/lib/irqbypass.ko").out.endsWith("depends:        \n"
                + "name:           irqbypass\n"));
    }

    @Test
    public void modinfoParameters() throws Exception {
        org.kvmosgi.kernel.api.modinfo.ModuleInfo info = org.kvmosgi.kernel.api.modinfo.ModuleInfo.fromHeader(
                "kernel.module;kernel.module=kvm;license=GPL,kernel.param;kernel.param=halt_poll_ns;type=UINT;"
                        + "default=200000;perm=0644,kernel.param;kernel.param=force_legacy;type=BOOL;default=N;"
                        + "description=\"Force legacy mode for transitional virtio 1 devices\"");
        assertEquals("filename:       /x/kvm.ko\n"
                + "license:        GPL\n"
                + "depends:        \n"
                + "name:           kvm\n"
                + "parm:           halt_poll_ns:uint\n"
                + "parm:           force_legacy:Force legacy mode for transitional virtio 1 devices (bool)\n",
                Modinfo.format("/x/kvm.ko", info, "", null, '\n'));
        assertEquals("halt_poll_ns: (uint)\nforce_legacy:Force legacy mode for transitional virtio 1 devices (bool)\n",
                Modinfo.format("/x/kvm.ko", info, "", "parm", '\n'));
        assertEquals("halt_poll_ns:uint\nforce_legacy:bool\n", Modinfo.format("/x/kvm.ko", info, "", "parmtype", '\n'));
    }

    // ------------------------------------------------------------ files

    @Test
    public void catLsTeeUname() throws Exception {
        k.file("/etc/hostname", "box\n");
        assertEquals("box\n", Run.of((o, e, i) -> new Cat(sys, i, o, e).main("/etc/hostname")).out);
        assertEquals("cat: /etc/none: No such file or directory",
                Run.of((o, e, i) -> new Cat(sys, i, o, e).main("/etc/none")).failure);
        assertEquals("piped", Run.of("piped", (o, e, i) -> new Cat(sys, i, o, e).main()).out);
        assertEquals("     1\tbox\n     2\tx\n", Run.of("x\n", (o, e, i) -> new Cat(sys, i, o, e).main("-n", "/etc/hostname", "-")).out);
        Run bad = Run.of((o, e, i) -> new Ls(sys, o, e).main("-l"));
        assertEquals("ls: invalid option -- 'l'\n", bad.err);
        assertEquals("Try 'ls --help' for more information.", bad.failure);
        assertEquals(2, bad.status);
        Run ls = Run.of((o, e, i) -> new Ls(sys, o, e).main("/etc"));
        assertEquals("hostname\nmodprobe.d\n", ls.out);
        assertEquals("ls: cannot access '/none': No such file or directory",
                Run.of((o, e, i) -> new Ls(sys, o, e).main("/none")).failure);
        Run tee = Run.of("1\n", (o, e, i) -> new Tee(sys, i, o, e).main("/etc/x"));
        assertEquals("1\n", tee.out);
        assertEquals("1\n", Files.readString(sys.hostPath("/etc/x")));
        // a read-only (0444) parameter of a loaded module
        install("kernel/arch/x86/kvm/kvm.ko", kvm().param("p", "INT", "0", "0444"));
        assertNull(modprobe("kvm").failure);
        assertEquals("tee: /sys/module/kvm/parameters/p: Permission denied",
                Run.of("1\n", (o, e, i) -> new Tee(sys, i, o, e).main("/sys/module/kvm/parameters/p")).failure);
        assertEquals(TestKernel.RELEASE + "\n", Run.of((o, e, i) -> new Uname(sys, o, e).main("-r")).out);
        assertEquals("Linux\n", Run.of((o, e, i) -> new Uname(sys, o, e).main()).out);
    }
}

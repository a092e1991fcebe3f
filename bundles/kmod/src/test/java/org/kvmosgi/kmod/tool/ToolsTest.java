package org.kvmosgi.kmod.tool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.Before;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kmod.FakeSyscalls;
import org.kvmosgi.kmod.Run;

/** The tools end to end against a fake kernel: messages, exit status, output formats. */
public class ToolsTest {
    static final String DIR = "/lib/modules/" + FakeSyscalls.RELEASE;
    FakeSyscalls sys;

    @Before
    public void tree() throws Exception {
        sys = new FakeSyscalls();
        sys.module("kernel/virt/lib/irqbypass.ko", FakeSyscalls.modinfo("irqbypass",
                List.of("irq_bypass_register_consumer"), List.of(), List.of(), null));
        sys.module("kernel/arch/x86/kvm/kvm.ko", FakeSyscalls.modinfo("kvm", List.of("kvm_init"),
                List.of("irq_bypass_register_consumer"), List.of("devname:kvm", "char-major-10-232"), null));
        sys.module("kernel/arch/x86/kvm/kvm-intel.ko", FakeSyscalls.modinfo("kvm_intel", List.of(),
                List.of("kvm_init"), List.of("cpu:type:x86,ven*fam*mod*:feature:*0085*"), null));
        sys.module("kernel/arch/x86/kvm/kvm-amd.ko", FakeSyscalls.modinfo("kvm_amd", List.of(),
                List.of("kvm_init"), List.of(), null));
        sys.module("kernel/drivers/broken.ko", FakeSyscalls.modinfo("broken", List.of(),
                List.of("nobody_exports_this"), List.of(), null));
        assertNull(depmod().failure);
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
        sys.module("kernel/loop/loop_a.ko", FakeSyscalls.modinfo("loop_a", List.of("a_fn"), List.of("b_fn"), List.of(), null));
        sys.module("kernel/loop/loop_b.ko", FakeSyscalls.modinfo("loop_b", List.of("b_fn"), List.of("a_fn"), List.of(), null));
        Run r = depmod();
        // the walk starts at the first looped module in depmod's hash order: loop_b
        assertEquals("depmod: ERROR: Cycle detected: loop_b -> loop_a -> loop_b\n", r.err);
        assertEquals("depmod: ERROR: Found 2 modules in dependency cycles!", r.failure);
        assertEquals(1, r.status);
    }

    @Test
    public void depmodLastExporterWinsSilently() throws Exception {
        sys.module("kernel/zz/kvm-again.ko", FakeSyscalls.modinfo("kvm_again", List.of("kvm_init"), List.of(),
                List.of(), null));
        sys.file(DIR + "/modules.order", "kernel/virt/lib/irqbypass.ko\nkernel/arch/x86/kvm/kvm.ko\n"
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
        assertTrue(sys.loaded.isEmpty());
    }

    @Test
    public void dryRunIsSilentUnlessVerbose() {
        assertEquals("", modprobe("-n", "kvm").out);
        assertEquals("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \ninsmod " + DIR
                + "/kernel/arch/x86/kvm/kvm.ko \n", modprobe("-nv", "kvm").out);
        assertTrue(sys.loaded.isEmpty());
    }

    @Test
    public void loadsDeepestFirstAndLoadedIsSuccess() {
        Run r = modprobe("kvm_intel", "nested=1");
        assertNull(r.failure);
        assertEquals(List.of("finit_module " + DIR + "/kernel/virt/lib/irqbypass.ko ''",
                "finit_module " + DIR + "/kernel/arch/x86/kvm/kvm.ko ''",
                "finit_module " + DIR + "/kernel/arch/x86/kvm/kvm-intel.ko 'nested=1'"), sys.calls);
        sys.calls.clear();
        assertNull(modprobe("kvm-intel").failure);
        assertTrue(sys.calls.isEmpty());
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
        sys.failInit.put("kvm_intel", Errno.EOPNOTSUPP.value());
        Run r = modprobe("kvm-intel");
        assertEquals("modprobe: ERROR: could not insert 'kvm_intel': Operation not supported", r.failure);
        assertTrue(sys.loaded.containsKey("kvm"));
        assertTrue(sys.loaded.containsKey("irqbypass"));
        Run broken = modprobe("broken");
        assertEquals("modprobe: ERROR: could not insert 'broken': Unknown symbol in module, or unknown parameter "
                + "(see dmesg)", broken.failure);
    }

    @Test
    public void aDependencyFailingIsReportedUnderTheTargetsName() {
        sys.failInit.put("kvm", Errno.ENOMEM.value());
        Run r = modprobe("kvm_amd");
        assertEquals("modprobe: ERROR: could not insert 'kvm_amd': Cannot allocate memory", r.failure);
        assertTrue(sys.loaded.containsKey("irqbypass"));
        assertFalse(sys.loaded.containsKey("kvm_amd"));
    }

    @Test
    public void optionsFromConfigThenCmdlineThenArguments() throws Exception {
        sys.file("/etc/modprobe.d/kvm.conf", "options kvm halt_poll_ns=1\noptions kvm-intel nested=0\n");
        sys.cmdline = "root=/dev/vda kvm_intel.ept=0";
        Run r = modprobe("--show-depends", "kvm-intel", "nested=1", "desc=a b");
        assertEquals("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm.ko halt_poll_ns=1 \n"
                + "insmod " + DIR + "/kernel/arch/x86/kvm/kvm-intel.ko nested=0 ept=0 nested=1 desc=\"a b\"\n",
                r.out);
    }

    @Test
    public void aliasesBlacklistAndResolve() throws Exception {
        sys.file("/etc/modprobe.d/a.conf", "alias my-hv kvm_amd\nblacklist kvm_amd\n");
        assertEquals("kvm_amd\n", modprobe("-R", "my-hv").out);
        assertEquals("kvm_intel\n", modprobe("-R", "cpu:type:x86,ven0000fam0006mod003A:feature:,0085,").out);
        // blacklisted and asked for by alias: nothing happens, and that is success
        Run viaAlias = modprobe("my-hv");
        assertNull(viaAlias.failure);
        assertTrue(sys.loaded.isEmpty());
        // by its own name the blacklist does not apply unless -b
        assertNull(modprobe("-b", "kvm_amd").failure);
        assertTrue(sys.loaded.isEmpty());
        assertNull(modprobe("kvm_amd").failure);
        assertTrue(sys.loaded.containsKey("kvm_amd"));
    }

    @Test
    public void softdepsAroundTheModuleAndLoopsBroken() throws Exception {
        sys.file("/etc/modprobe.d/soft.conf", "softdep kvm_amd pre: kvm_intel post: broken\n"
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
        assertTrue(sys.loaded.containsKey("kvm_amd"));
        assertFalse(sys.loaded.containsKey("broken"));
    }

    @Test
    public void softdepAndAliasLoopsEndOnRemovalToo() throws Exception {
        sys.file("/etc/modprobe.d/loop.conf", "alias kvm* kvm\nsoftdep kvm post: kvm_intel\nsoftdep kvm_intel post: kvm\n"
                + "softdep kvm_amd pre: kvm_amd post: kvm_amd\n");
        assertNull(modprobe("kvm").failure);
        Run r = modprobe("-r", "kvm_intel");
        assertNull(r.err, r.failure);
        assertFalse(sys.loaded.containsKey("kvm"));
        sys.file("/etc/modprobe.d/loop.conf", "softdep kvm post: kvm_intel\nsoftdep kvm_intel post: kvm\n");
        assertNull(modprobe("kvm_intel").failure);
        sys.calls.clear();
        // the post softdep goes first; kvm_intel still holds it, and kmod's log ends modprobe at FATAL
        assertEquals("modprobe: FATAL: Module kvm is in use.", modprobe("-r", "kvm_intel").failure);
        assertEquals(List.of(), sys.calls);
        assertTrue(sys.loaded.containsKey("kvm_intel"));
        assertNull(modprobe("-r", "-i", "kvm_intel").failure);
        assertFalse(sys.loaded.containsKey("kvm_intel"));
    }

    @Test
    public void moduleSoftdepFromModulesSoftdepSortedAmongConfigFiles() throws Exception {
        sys.module("kernel/drivers/soft.ko", FakeSyscalls.modinfo("soft", List.of(), List.of(), List.of(),
                "pre: irqbypass"));
        assertNull(depmod().failure);
        assertEquals("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \ninsmod " + DIR + "/kernel/drivers/soft.ko \n",
                modprobe("--show-depends", "soft").out);
        // a.conf sorts before modules.softdep: its line is the first match; z.conf's comes too late
        sys.file("/etc/modprobe.d/z.conf", "softdep soft pre: kvm_amd\n");
        assertTrue(modprobe("--show-depends", "soft").out.startsWith("insmod " + DIR + "/kernel/virt/lib/irqbypass.ko \n"));
        sys.file("/etc/modprobe.d/a.conf", "softdep soft post: irqbypass\n");
        assertEquals("insmod " + DIR + "/kernel/drivers/soft.ko \ninsmod " + DIR + "/kernel/virt/lib/irqbypass.ko \n",
                modprobe("--show-depends", "soft").out);
    }

    @Test
    public void installCommandsAreRefused() throws Exception {
        sys.file("/etc/modprobe.d/i.conf", "install kvm_amd /sbin/modprobe --ignore-install kvm_amd\n");
        Run r = modprobe("kvm_amd");
        assertEquals("modprobe: ERROR: could not insert 'kvm_amd': Invalid argument", r.failure);
        assertTrue(r.err, r.err.startsWith("modprobe: ERROR: Error running install command"));
        assertNull(modprobe("-i", "kvm_amd").failure);
        assertTrue(sys.loaded.containsKey("kvm_amd"));
    }

    @Test
    public void removeTakesUnusedDependenciesAlongAsLibkmodOrdersThem() {
        assertNull(modprobe("kvm_intel").failure);
        Run inUse = modprobe("-r", "kvm");
        assertEquals("modprobe: FATAL: Module kvm is in use.", inUse.failure);
        sys.calls.clear();
        Run r = modprobe("-r", "kvm-intel");
        assertNull(r.failure);
        // dependencies are visited deepest first: irqbypass is still held by kvm when its turn comes
        assertEquals(List.of("delete_module kvm_intel 4000", "delete_module kvm 4000"), sys.calls);
        assertEquals(List.of("irqbypass"), List.copyOf(sys.loaded.keySet()));
        assertNull(modprobe("-r", "kvm_intel").failure);
        assertEquals("modprobe: FATAL: Module kvm_intel is not in kernel.",
                modprobe("-r", "--first-time", "kvm_intel").failure);
        assertEquals("modprobe: FATAL: Module nosuch not found.", modprobe("-r", "nosuch").failure);
        // FATAL ends modprobe at once: the names after it are not looked at
        assertNull(modprobe("kvm_amd").failure);
        assertEquals("modprobe: FATAL: Module nosuch not found.", modprobe("-r", "nosuch", "kvm_amd").failure);
        assertTrue(sys.loaded.containsKey("kvm_amd"));
        // with -a, a missing module is a warning and the others are loaded
        Run all = modprobe("-a", "nosuch", "kvm_intel");
        assertEquals("modprobe: WARNING: Module nosuch not found in directory " + DIR, all.failure);
        assertTrue(sys.loaded.containsKey("kvm_intel"));
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
        assertEquals("rmmod: ERROR: Module  is not currently loaded", rmmod("").failure.replace("/ ", " "));
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
    public void rmmodPrechecksAndKernelFailure() {
        assertNull(modprobe("kvm_intel").failure);
        assertEquals("rmmod: ERROR: Module nosuch is not currently loaded", rmmod("nosuch").failure);
        assertEquals("rmmod: ERROR: Module kvm is in use by: kvm_intel", rmmod("kvm").failure);
        sys.loaded.get("kvm_intel").extraRefs = 1;
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
        assertFalse(sys.loaded.containsKey("kvm"));
    }

    // ------------------------------------------------------------ lsmod / modinfo

    @Test
    public void lsmodTable() {
        assertNull(modprobe("kvm_intel").failure);
        sys.loaded.get("kvm").size = 1339392;
        Run r = lsmod();
        assertEquals("Module                  Size  Used by\n"
                + "kvm_intel              16384  0\n"
                + "kvm                  1339392  1 kvm_intel\n"
                + "irqbypass              16384  1 kvm\n", r.out);
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
        sys.file("/etc/hostname", "box\n");
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
        assertEquals("tee: /sys/module/kvm/parameters/p: Permission denied",
                Run.of("1\n", (o, e, i) -> new Tee(sys, i, o, e).main("/sys/module/kvm/parameters/p")).failure);
        assertEquals(FakeSyscalls.RELEASE + "\n", Run.of((o, e, i) -> new Uname(sys, o, e).main("-r")).out);
        assertEquals("Linux\n", Run.of((o, e, i) -> new Uname(sys, o, e).main()).out);
    }
}

package org.kvmosgi.diag.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** The kernel's debugfs and procfs formats, read back. */
public class ParseTest {
    @Test
    public void loadHistoryEntriesWithTheirMessages() {
        List<Attempt> a = Attempt.parse("mod_a 0 - intel\nmod_b -12 mod_b:alloc power9\n"
                + "\tFAULT_INJECTION: forcing a failure.\n\tmod_b: out of memory\n");
        assertEquals(2, a.size());
        assertFalse(a.get(0).failed());
        assertNull(a.get(0).step());
        assertEquals(-12, a.get(1).ret());
        assertEquals("mod_b:alloc", a.get(1).step());
        assertEquals("power9", a.get(1).host());
        assertEquals(List.of("FAULT_INJECTION: forcing a failure.", "mod_b: out of memory"), a.get(1).messages());
        assertTrue(a.get(1).injected());
    }

    @Test
    public void kmemleakBlocks() {
        String report = "unreferenced object 0xffff888100000000 (size 16384):\n  comm \"insmod\", module mod_x\n"
                + "  kmalloc: hpt tables\n  backtrace:\n    [<ffff888100000000>] mod_x:alloc_tables\n"
                + "    [<ffff888100000000>] do_init_module\n"
                + "unreferenced object 0x0000000000000000 (size 0):\n  comm \"insmod\", module mod_y\n"
                + "  misc device: /dev/y\n  backtrace:\n    [<0000000000000000>] mod_y:init\n"
                + "    [<0000000000000000>] do_init_module\n";
        List<Leak> l = Leak.parse(report);
        assertEquals(List.of(new Leak("mod_x", "kmalloc", "hpt tables", 16384, "mod_x:alloc_tables"),
                new Leak("mod_y", "misc device", "/dev/y", 0, "mod_y:init")), l);
        assertEquals("kmalloc \"hpt tables\" (16384 bytes) taken at mod_x:alloc_tables", l.get(0).describe());
    }

    @Test
    public void procModulesWithHoldersAndPermanent() {
        List<Loaded> l = Loaded.parse("kvm_intel 4096 0 - Live 0xffffffffc0001000\n"
                + "kvm 8192 1 kvm_intel, Live 0xffffffffc0000000\nmod_p 4096 0 [permanent], Loading 0xffffffffc0003000 P\n");
        assertEquals(new Loaded("kvm", 1, List.of("kvm_intel"), false, "Live"), l.get(1));
        assertTrue(l.get(2).permanent());
        assertFalse(l.get(2).live());
    }

    @Test
    public void modinfoFromTheManifestHeader() {
        ModuleFile f = ModuleFile.fromHeader("kernel.module;kernel.module=kvm-hv;license=GPL;"
                + "imports:List<String>=\"a,b\";steps:List<String>=\"radix_init,set_ops\","
                + "kernel.symbol;kernel.symbol=kvmhv_x,osgi.service;objectClass=x", "/lib/modules/r/kvm-hv.ko");
        assertEquals("kvm_hv", f.name());
        assertEquals(List.of("a", "b"), f.imports());
        assertEquals(List.of("radix_init", "set_ops"), f.steps());
        assertEquals(List.of("kvmhv_x"), f.exports());
        assertNull(ModuleFile.fromHeader("osgi.service;objectClass=x", "/x.ko"));
    }

    @Test
    public void errnoAndRetvalForms() {
        assertEquals(org.kvmosgi.kernel.api.Errno.ENOMEM, Points.errno("ENOMEM"));
        assertEquals(org.kvmosgi.kernel.api.Errno.ENOMEM, Points.errno("-12"));
        assertEquals(org.kvmosgi.kernel.api.Errno.EIO, Points.errno("eio"));
        assertNull(Points.errno("ENOTHING"));
        assertEquals(-12, Points.retval("0xfffffffffffffff4\n"));
        assertEquals(-22, Points.retval("-22"));
    }

    @Test
    public void pointsFromFilesBeforeAnythingLoads() {
        ModuleFile hv = new ModuleFile("kvm_hv", "/k.ko", List.of(), List.of(), List.of("radix_init"), "");
        assertEquals(List.of("loader:parse_args", "kvm_hv:radix_init"),
                Points.all(List.of("loader:parse_args\tERRNO"), List.of(hv)));
    }

    @Test
    public void opsOwnersAsTheKernelPublishesThem() {
        assertEquals(java.util.Map.of("kvm_x86_ops", "kvm_intel", "kvmppc_pr_ops", ""),
                SnapshotReader.opsOwners("kvm_x86_ops kvm_intel\nkvmppc_pr_ops -\n"));
        assertTrue(SnapshotReader.opsOwners("").isEmpty());
    }

    @Test
    public void wordsAreWhatARegexSplitOfTheTrimmedLineGives() {
        for (String line : List.of("kvm_intel 28672 0 - Live 0xffffffffc0a00000", "  kvm 1 2 kvm_intel, Live 0x0 (OE)  ",
                "a\tb  c", "one", "", "   ", "x\u000By\fz\r")) {
            String[] regex = line.trim().isEmpty() ? new String[0] : line.trim().split("\\s+");
            for (int max = 1; max <= 8; max++) {
                assertEquals(line + " " + max, List.of(regex).subList(0, Math.min(max, regex.length)),
                        List.of(SnapshotReader.words(line, max)));
            }
        }
    }
}

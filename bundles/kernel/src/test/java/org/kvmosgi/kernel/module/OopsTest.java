package org.kvmosgi.kernel.module;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.api.Printk;
import org.junit.Test;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;

public class OopsTest {
    private final List<String> lines = new ArrayList<>();
    private final Printk printk = (level, fmt, args) -> lines.add(String.format(fmt, args));
    private final Taint taint = new Taint();
    private final ModuleList list = new ModuleList();
    private final Oops oops = new Oops(printk, taint, "6.13.0-kvmosgi", list);
    private static final KernelModule CODE = new KernelModule() {
        @Override
        public int init(ModuleContext ctx) {
            return 0;
        }
    };

    @Test
    public void taintLineHasOneCharacterPerFlagInBitOrder() {
        assertEquals("Not tainted", oops.tainted());
        taint.add(Taint.FORCED_RMMOD);
        assertEquals("Tainted: G  R" + " ".repeat(16), oops.tainted());
        taint.add(Taint.PROPRIETARY_MODULE);
        taint.add(Taint.DIE);
        assertEquals("Tainted: P  R   D" + " ".repeat(12), oops.tainted());
    }

    @Test
    public void modulesLinkedInEndsWithTheLastUnloadedModule() {
        assertEquals("Modules linked in:", oops.modulesLinkedIn());
        KModule gone = new KModule("kvm_intel", null, null, CODE, 4096,
                0xffffffffc0018000L);
        list.unloaded(gone);
        assertEquals("Modules linked in: [last unloaded: kvm_intel]", oops.modulesLinkedIn());
    }

    @Test
    public void anOopsNamesTheFreedAddressAndTheCallersAndTaintsDie() {
        taint.add(Taint.FORCED_RMMOD);
        KModule gone = new KModule("mod_chardev", null, null, CODE, 4096,
                0xffffffffc0004000L);
        list.unloaded(gone);
        oops.freedModuleText(gone, List.of("__x64_sys_ioctl"));
        oops.freedModuleText(gone, List.of("__x64_sys_ioctl"));
        assertEquals("BUG: unable to handle page fault for address: ffffffffc0004000", lines.get(0));
        assertEquals("Oops: 0010 [#1] PREEMPT SMP NOPTI", lines.get(3));
        assertEquals("RIP: 0010:0xffffffffc0004000", lines.get(5));
        assertEquals(" __x64_sys_ioctl", lines.get(8));
        assertEquals("Modules linked in: [last unloaded: mod_chardev]", lines.get(10));
        assertEquals("---[ end trace 0000000000000000 ]---", lines.get(12));
        assertEquals("Oops: 0010 [#2] PREEMPT SMP NOPTI", lines.get(13 + 3));
        assertTrue("an oops taints D", taint.test(Taint.DIE));
    }
}

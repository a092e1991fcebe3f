package org.kvmosgi.kmod.lib;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class ModprobeConfigTest {
    @Test
    public void everyCommand() {
        ModprobeConfig c = new ModprobeConfig();
        c.parse("/etc/modprobe.d/kvm.conf", String.join("\n",
                "# comment",
                "",
                "alias kvm-vendor kvm-intel",
                "options kvm-intel nested=1\tept=0",
                "options kvm_intel vpid=0",
                "blacklist kvm-amd",
                "softdep kvm-intel pre: irqbypass post: kvm-extra  other",
                "install dummy /bin/true",
                "remove dummy /bin/false",
                "options lonely",
                "frobnicate x",
                "include /etc/other.conf",
                ""));
        assertEquals(List.of(new ModprobeConfig.Alias("kvm_vendor", "kvm_intel")), c.aliases);
        assertEquals("nested=1 ept=0 vpid=0", c.optionsFor("kvm_intel", null));
        assertNull(c.optionsFor("kvm", null));
        assertTrue(c.isBlacklisted("kvm_amd"));
        ModprobeConfig.Softdep s = c.softdepFor("kvm_intel");
        assertEquals(List.of("irqbypass"), s.pre());
        assertEquals(List.of("kvm-extra", "other"), s.post());
        assertEquals("/bin/true", c.installCommand("dummy"));
        assertEquals("/bin/false", c.removeCommand("dummy"));
        assertEquals(List.of(
                "/etc/modprobe.d/kvm.conf line 10: ignoring bad line starting with 'options'",
                "/etc/modprobe.d/kvm.conf line 11: ignoring bad line starting with 'frobnicate'",
                "/etc/modprobe.d/kvm.conf: command include is deprecated and not parsed anymore"), c.errors);
    }

    @Test
    public void optionsByAliasAndPatternsForSoftdep() {
        ModprobeConfig c = new ModprobeConfig();
        c.parse("a.conf", "options vendor x=1\nsoftdep kvm* pre: a\nsoftdep kvm_intel pre: b\n");
        assertEquals("x=1", c.optionsFor("kvm_intel", "vendor"));
        // the first matching softdep line is the one
        assertEquals(List.of("a"), c.softdepFor("kvm_intel").pre());
    }

    @Test
    public void continuationLines() {
        ModprobeConfig c = new ModprobeConfig();
        c.parse("a.conf", "options kvm \\\nhalt_poll_ns=0\nblacklist x\n");
        assertEquals("halt_poll_ns=0", c.optionsFor("kvm", null));
        assertTrue(c.isBlacklisted("x"));
    }

    @Test
    public void underscoresOutsideBrackets() {
        ModprobeConfig c = new ModprobeConfig();
        c.parse("a.conf", "alias pci:v-[a-f]-x my-mod\n");
        assertEquals("pci:v_[a-f]_x", c.aliases.get(0).name());
        assertEquals("my_mod", c.aliases.get(0).modname());
    }

    @Test
    public void kernelCommandLine() {
        ModprobeConfig c = new ModprobeConfig();
        c.parse("a.conf", "options kvm halt_poll_ns=1\n");
        c.parseKernelCmdline("BOOT_IMAGE=/vmlinuz root=/dev/vda1.x kvm.halt_poll_ns=5 kvm-intel.nested=1 "
                + "modprobe.blacklist=a,b-c quiet foo.bar desc.v=\"a b\" x.y=1.5 a.b.c=1 \"parport.dyndbg=f +p\"\n");
        // file options first, the command line's after them
        assertEquals("halt_poll_ns=1 halt_poll_ns=5", c.optionsFor("kvm", null));
        assertEquals("nested=1", c.optionsFor("kvm_intel", null));
        assertEquals("v=\"a b\"", c.optionsFor("desc", null));
        assertEquals("y=1.5", c.optionsFor("x", null));
        assertEquals("a flag without a value is an option too", "bar", c.optionsFor("foo", null));
        assertNull("a second dot before '=': not an option", c.optionsFor("a", null));
        assertEquals("dyndbg=\"f +p\"", c.optionsFor("parport", null));
        assertNull(c.optionsFor("root", null));
        assertNull(c.optionsFor("BOOT_IMAGE", null));
        assertTrue(c.isBlacklisted("a"));
        assertTrue(c.isBlacklisted("b-c"));
    }
}

package org.kvmosgi.playground;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;
import org.kvmosgi.kmod.lib.Kmod;

/** kmod's testsuite/test-dependencies.c: kmod_module_get_dependencies() of mod-foo from modules.dep. */
public class TestDependencies {
    @Test
    public void test_dependencies() throws Exception {
        String dir = "/lib/modules/4.0.20-kmod";
        Rootfs root = new Rootfs("4.0.20-kmod")
                .ko(dir + "/kernel/fs/foo/", "mod-foo-b").ko(dir + "/kernel/", "mod-foo-c")
                .ko(dir + "/kernel/lib/", "mod-foo-a").ko(dir + "/kernel/fs/", "mod-foo")
                .file(dir + "/modules.dep", "kernel/fs/foo/mod-foo-b.ko:\nkernel/mod-foo-c.ko:\nkernel/lib/mod-foo-a.ko:\n"
                        + "kernel/fs/mod-foo.ko: kernel/fs/foo/mod-foo-b.ko kernel/lib/mod-foo-a.ko kernel/mod-foo-c.ko\n")
                .file(dir + "/modules.symbols", "# Aliases for symbols, used by symbol_request().\n"
                        + "alias symbol:print_fooA mod_foo_a\nalias symbol:print_fooC mod_foo_c\n"
                        + "alias symbol:print_fooB mod_foo_b\n");
        Kmod kmod = root.kmod();
        List<String> deps = kmod.dependencies(kmod.fromName("mod-foo")).stream().map(m -> m.name).sorted().toList();
        assertEquals(List.of("mod_foo_a", "mod_foo_b", "mod_foo_c"), deps);
    }
}

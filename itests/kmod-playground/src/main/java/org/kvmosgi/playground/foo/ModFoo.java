package org.kvmosgi.playground.foo;

import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.modinfo.Module;

/** kmod's testsuite/module-playground/mod-foo.c: uses one symbol of each of mod-foo-a, -b and -c. */
@Module(name = "mod_foo", license = "LGPL", description = "dummy test module", author = "Lucas De Marchi <lucas.demarchi@intel.com>", imports = {"print_fooA", "print_fooB", "print_fooC"})
public class ModFoo extends KernelModule {
    @Override
    public int init(ModuleContext ctx) {
        ctx.symbol("print_fooA", Runnable.class).run();
        ctx.symbol("print_fooB", Runnable.class).run();
        ctx.symbol("print_fooC", Runnable.class).run();
        return 0;
    }
}

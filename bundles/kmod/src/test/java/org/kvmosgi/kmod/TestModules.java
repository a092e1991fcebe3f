package org.kvmosgi.kmod;

import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.SymbolExports;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.dev.OpenFile;
import org.kvmosgi.kernel.testkit.ModuleFile;

/**
 * The code of the module files kmod's tests load into the test kit's kernel: small modules
 * whose init is one step named {@code init} (so that a test fails it through fail_function,
 * as {@code kvm_intel:init} with -EOPNOTSUPP), each with an exit (rmmod may remove it), and
 * the exports their .modinfo declares.
 */
public final class TestModules {
    private TestModules() {
    }

    /** A module file of {@code code} as the tests' modules look: "the NAME module", its init a step. */
    public static ModuleFile module(String name, Class<? extends KernelModule> code) {
        return ModuleFile.of(name, code).description("the " + name + " module").steps("init");
    }

    /** No exports. */
    public static class Plain extends KernelModule {
        @Override
        public int init(ModuleContext ctx) {
            return ctx.step("init", () -> 0);
        }

        @Override
        public void exit(ModuleContext ctx) {
            // nothing to undo
        }
    }

    /** A misc device /dev/NAME (NAME the module's): an open file of it pins the module, as fops->owner does. */
    public static final class WithDevice extends KernelModule {
        private MiscDevice device;

        @Override
        public int init(ModuleContext ctx) {
            return ctx.step("init", () -> {
                device = ctx.kernel().miscRegister(ctx.name(), ctx.name(), new FileOperations() {
                    @Override
                    public long ioctl(OpenFile f, int cmd, Object arg) {
                        return Errno.ENOTTY.neg();
                    }
                });
                return device == null ? Errno.EBUSY.neg() : 0;
            });
        }

        @Override
        public void exit(ModuleContext ctx) {
            ctx.kernel().miscDeregister(device);
        }
    }

    /** Exports each of its symbols as a function that does nothing. */
    abstract static class Exporting extends Plain {
        private final List<String> symbols;

        Exporting(String... symbols) {
            this.symbols = List.of(symbols);
        }

        @Override
        public void exports(SymbolExports exports) {
            for (String s : symbols) {
                exports.put(s, Runnable.class, () -> {});
            }
        }
    }

    public static final class IrqBypass extends Exporting {
        public IrqBypass() {
            super("irq_bypass_register_consumer");
        }
    }

    public static final class KvmInit extends Exporting {
        public KvmInit() {
            super("kvm_init");
        }
    }

    public static final class ExporterAdd extends Exporting {
        public ExporterAdd() {
            super("exporter_add");
        }
    }

    public static final class AFn extends Exporting {
        public AFn() {
            super("a_fn");
        }
    }

    public static final class BFn extends Exporting {
        public BFn() {
            super("b_fn");
        }
    }
}

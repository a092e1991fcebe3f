package com.example.hello;

import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelModule;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.modinfo.Module;
import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;

/**
 * hello.ko: keeps a greeting buffer and registers /dev/hello. Each step of init is named,
 * so a test can make it fail there; a failed step frees what the earlier ones took.
 */
@Module(name = "hello", license = "GPL", author = "Example", description = "Says hello through /dev/hello",
        initcall = "hello_init", steps = {"alloc_greeting", "misc_register"})
@Param(name = "greeting", type = ParamType.CHARP, defaultValue = "hello", description = "what init prints")
public class HelloModule extends KernelModule {
    private static final long HELLO_GET_LENGTH = 0x4801;

    private Allocation buffer;
    private MiscDevice device;

    @Override
    public int init(ModuleContext ctx) {
        String greeting = ctx.params().string("greeting");
        int r = ctx.step("alloc_greeting", () -> {
            buffer = ctx.kernel().kmalloc("greeting", greeting.length() + 1);
            return buffer == null ? Errno.ENOMEM.neg() : 0;
        });
        if (r < 0) {
            return r;
        }
        r = ctx.step("misc_register", () -> {
            device = ctx.kernel().miscRegister("hello", ctx.name(),
                    (file, cmd, arg) -> cmd == HELLO_GET_LENGTH ? greeting.length() : Errno.ENOTTY.neg());
            return device == null ? Errno.EBUSY.neg() : 0;
        });
        if (r < 0) {
            buffer.free();
            buffer = null;
            return r;
        }
        ctx.log().info("%s", greeting);
        return 0;
    }

    @Override
    public void exit(ModuleContext ctx) {
        ctx.kernel().miscDeregister(device);
        buffer.free();
    }
}

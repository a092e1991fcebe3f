package org.kvmosgi.kvm.ppc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import org.kvmosgi.kernel.api.Allocation;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KernelServices;
import org.kvmosgi.kernel.api.ModuleContext;
import org.kvmosgi.kernel.api.ModuleParams;
import org.kvmosgi.kvm.api.dispatch.Dispatch;
import org.kvmosgi.kvm.ppc.book3s.KvmppcCalls;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.kvmosgi.kernel.api.dev.OpenFile;
import org.kvmosgi.kernel.api.host.Host;

/**
 * A kernel for unit tests: printk into a list, kmalloc with leak accounting per module,
 * misc devices, module references, fail_function-style step injection; its hosts are the
 * kernel's own (kernel-testkit's {@code Hosts}).
 */
final class FakeKernel {
    final List<String> dmesg = new ArrayList<>();
    final Map<String, List<Allocation>> live = new HashMap<>();
    final Map<String, FileOperations> devices = new LinkedHashMap<>();
    final Map<String, String> deviceOwners = new HashMap<>();
    final Map<String, Integer> refs = new HashMap<>();
    final Set<String> liveModules = new HashSet<>();
    /** "module:step" → errno to return instead of running the step. */
    final Map<String, Integer> inject = new HashMap<>();
    final List<String> steps = new ArrayList<>();
    final Map<String, Object> symbols = new HashMap<>();
    Host host;

    FakeKernel(Host host) {
        this.host = host;
    }

    int liveAllocations(String module) {
        return live.getOrDefault(module, List.of()).size();
    }

    int refcount(String module) {
        return refs.getOrDefault(module, 0);
    }

    // ------------------------------------------------------------ contexts

    /**
     * kvm.dispatch= for the tests: the system property {@code kvm.dispatch} (the build runs
     * the suite once per style), else kvm's default; kvm's context answers it as its
     * {@code dispatch} parameter unless the test gives one.
     */
    static Dispatch dispatch() {
        return Dispatch.parse(System.getProperty("kvm.dispatch"), KvmppcCalls.DEFAULT);
    }

    ModuleContext context(String module, Map<String, String> params) {
        liveModules.add(module);
        return new ModuleContext() {
            @Override
            public String name() {
                return module;
            }

            @Override
            public Printk log() {
                return log(module + ": ");
            }

            @Override
            public Printk log(String prefix) {
                return (level, fmt, args) -> dmesg.add(prefix + String.format(fmt, args));
            }

            @Override
            public <T> T symbol(String name, Class<T> type) {
                return type.cast(symbols.get(name));
            }

            @Override
            public ModuleParams params() {
                return new ModuleParams() {
                    public boolean bool(String n) { return "Y".equals(params.get(n)); }
                    public long integer(String n) { return Long.parseLong(params.get(n)); }
                    public String string(String n) {
                        return "kvm".equals(module) && "dispatch".equals(n) && !params.containsKey(n)
                                ? System.getProperty("kvm.dispatch") : params.get(n);
                    }
                    public int update(String n, String v) { params.put(n, v); return 0; }
                };
            }

            @Override
            public Host host() {
                return host;
            }

            @Override
            public int step(String name, IntSupplier body) {
                steps.add(module + ":" + name);
                Integer injected = inject.get(module + ":" + name);
                return injected != null ? injected : body.getAsInt();
            }

            @Override
            public KernelServices kernel() {
                return new KernelServices() {
                    @Override
                    public org.kvmosgi.kernel.api.KThread kthreadRun(String name,
                            java.util.function.ToIntFunction<org.kvmosgi.kernel.api.KThread> threadfn) {
                        // the KVM modules start no kernel threads: one that tries is a change the tests must see
                        throw new AssertionError("unexpected kthread_run(" + name + ")");
                    }

                    @Override
                    public Allocation kmalloc(String what, long size) {
                        List<Allocation> mine = live.computeIfAbsent(module, k -> new ArrayList<>());
                        Allocation[] self = new Allocation[1];
                        self[0] = new Allocation() {
                            boolean freed;
                            public long size() { return size; }
                            public String what() { return what; }
                            public void free() {
                                if (freed) {
                                    throw new AssertionError("double kfree of " + what);
                                }
                                freed = true;
                                mine.remove(self[0]);
                            }
                        };
                        mine.add(self[0]);
                        return self[0];
                    }

                    @Override
                    public MiscDevice miscRegister(String name, String owner, FileOperations fops) {
                        if (devices.containsKey(name)) {
                            return null;
                        }
                        devices.put(name, fops);
                        deviceOwners.put(name, owner);
                        return new MiscDevice() {
                            public String name() { return name; }
                            public String owner() { return owner; }
                        };
                    }

                    @Override
                    public void miscDeregister(MiscDevice device) {
                        devices.remove(device.name());
                    }

                    @Override
                    public boolean tryModuleGet(String m) {
                        if (!liveModules.contains(m)) {
                            return false;
                        }
                        refs.merge(m, 1, Integer::sum);
                        return true;
                    }

                    @Override
                    public void modulePut(String m) {
                        refs.merge(m, -1, Integer::sum);
                    }

                    @Override
                    public int requestModule(String name) {
                        return Errno.ENOENT.neg();
                    }
                };
            }
        };
    }

    // ------------------------------------------------------------ user space

    /** An fd table: open files with their operations, as the kernel's Devices keeps them. */
    final Map<Integer, FakeFile> fds = new HashMap<>();
    private int nextFd = 3;

    final class FakeFile implements OpenFile {
        final String path;
        final String owner;
        final FileOperations fops;
        Object data;

        FakeFile(String path, String owner, FileOperations fops, Object data) {
            this.path = path;
            this.owner = owner;
            this.fops = fops;
            this.data = data;
        }

        public String path() { return path; }
        public Object privateData() { return data; }
        public void setPrivateData(Object d) { data = d; }

        public int anonInodeGetFd(String name, String owner, FileOperations fops, Object privateData) {
            if (!liveModules.contains(owner)) {
                return Errno.ENODEV.neg();
            }
            refs.merge(owner, 1, Integer::sum);
            int fd = nextFd++;
            fds.put(fd, new FakeFile("anon_inode:" + name, owner, fops, privateData));
            return fd;
        }
    }

    /** open("/dev/NAME"): pins the device's owner. */
    int open(String dev) {
        FileOperations fops = devices.get(dev);
        if (fops == null) {
            return Errno.ENOENT.neg();
        }
        String owner = deviceOwners.get(dev);
        refs.merge(owner, 1, Integer::sum);
        int fd = nextFd++;
        fds.put(fd, new FakeFile("/dev/" + dev, owner, fops, null));
        return fd;
    }

    long ioctl(int fd, int cmd, Object arg) {
        FakeFile f = fds.get(fd);
        return f == null ? Errno.EBADF.neg() : f.fops.ioctl(f, cmd, arg);
    }

    void close(int fd) {
        FakeFile f = fds.remove(fd);
        f.fops.release(f);
        refs.merge(f.owner, -1, Integer::sum);
    }
}

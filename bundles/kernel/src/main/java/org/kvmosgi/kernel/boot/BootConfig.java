package org.kvmosgi.kernel.boot;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;

/**
 * The boot parameters where no launcher sets framework properties, as in Apache Karaf:
 * the ConfigAdmin configuration {@value #PID} ({@code etc/org.kvmosgi.kernel.cfg}) with
 * the keys {@code root}, {@code host}, {@code release}, {@code cmdline}. The kernel boots
 * when the configuration arrives, once, as Linux reads its command line once; a later
 * change takes effect at the next boot (a restart of the kernel bundle).
 */
final class BootConfig {
    static final String PID = "org.kvmosgi.kernel";

    private BootConfig() {}

    /** Boots with the configuration's values (as {@code kvmosgi.KEY}) when it first arrives; close to stop waiting. */
    static AutoCloseable whenConfigured(BundleContext context, Consumer<Map<String, String>> boot) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_PID, PID);
        ServiceRegistration<ManagedService> reg = context.registerService(ManagedService.class,
                new ManagedService() {
                    private boolean booted;

                    @Override
                    public synchronized void updated(Dictionary<String, ?> config) {
                        if (config == null || booted) {
                            return;
                        }
                        booted = true;
                        Map<String, String> values = new HashMap<>();
                        for (String key : new String[] {"root", "host", "release", "cmdline"}) {
                            Object v = config.get(key);
                            if (v != null) {
                                values.put("kvmosgi." + key, v.toString());
                            }
                        }
                        boot.accept(values);
                    }
                }, props);
        return reg::unregister;
    }
}

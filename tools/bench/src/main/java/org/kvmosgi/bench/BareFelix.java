package org.kvmosgi.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The boot baseline, run as a process of its own: a bare Felix that installs and starts
 * the bundle files it is given (SCR, ConfigAdmin, Gogo), then stops, as kvmsh boots and
 * stops around one command.
 */
public final class BareFelix {
    private BareFelix() {}

    public static void main(String[] args) throws Exception {
        // as kvmsh's launcher: Gogo jline's background session gets a dumb terminal without a warning
        System.setProperty("org.jline.terminal.dumb", "true");
        Path storage = Path.of(args[0]);
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.log.level", "0");
        config.put("gosh.args", "--nointeractive");
        Framework fw = ServiceLoader.load(FrameworkFactory.class, BareFelix.class.getClassLoader()).findFirst()
                .orElseThrow().newFramework(config);
        fw.init();
        BundleContext ctx = fw.getBundleContext();
        for (int i = 1; i < args.length; i++) {
            Bundle b = ctx.installBundle("reference:" + Path.of(args[i]).toUri());
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        fw.start();
        fw.stop();
        fw.waitForStop(0);
        System.exit(0);
    }
}

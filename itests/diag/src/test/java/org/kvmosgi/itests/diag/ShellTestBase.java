package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Before;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.kit.Shell;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;

/** Commands as users type them, through a Gogo session of the test's own, from a fresh kernel each test. */
public abstract class ShellTestBase {

    @Inject
    CommandProcessor processor;

    /** stdout of a command; a failure adds "FAIL: message" after it (and must be a CommandFailure). */
    String run(String line) {
        Shell.Result r = new Shell(processor).run(line);
        return r.failure() == null ? r.out() : r.out() + "FAIL: " + r.failure();
    }

    List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        text.lines().map(String::trim).filter(l -> !l.isEmpty()).forEach(out::add);
        return out;
    }

    /**
     * The platform on {@code host} with {@code feature}: its modules laid out and its own
     * bundles (KVM's headers, the VMM) started, as ./kvmsh does; test-support's feature()
     * lays out the modules only.
     */
    static Option platformWith(String host, String feature) {
        List<Option> opts = new ArrayList<>(List.of(KvmOsgi.platform(), KvmOsgi.host(host), KvmOsgi.feature(feature)));
        for (java.nio.file.Path b : KvmOsgi.distribution().bundles(KvmOsgi.distribution().feature(feature))) {
            opts.add(CoreOptions.bundle(b.toUri().toString()));
        }
        return CoreOptions.composite(opts.toArray(new Option[0]));
    }

    @Before
    public void freshKernel() throws Exception {
        assertEquals("", run("kreset"));
    }
}

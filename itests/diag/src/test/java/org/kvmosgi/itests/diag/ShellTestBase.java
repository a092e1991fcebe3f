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

/**
 * Commands as users type them, through test-support's {@link Shell} ({@code sh}; a line's
 * {@code transcript()} is its stdout, then "FAIL: message" when a command failed), from a
 * fresh kernel each test.
 */
public abstract class ShellTestBase {

    @Inject
    CommandProcessor processor;

    Shell sh;

    List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        text.lines().map(String::trim).filter(l -> !l.isEmpty()).forEach(out::add);
        return out;
    }

    /**
     * The platform on {@code host} with {@code feature}: its modules laid out and its own
     * bundles (KVM's headers, the VMM) started, as ./kvmsh does.
     */
    static Option platformWith(String host, String feature) {
        return CoreOptions.composite(KvmOsgi.platform(), KvmOsgi.host(host), KvmOsgi.feature(feature),
                KvmOsgi.featureBundles(feature));
    }

    @Before
    public void shell() {
        sh = new Shell(processor);
    }

    /** kreset (a class whose subject is what boot did overrides it). */
    @Before
    public void freshKernel() throws Exception {
        assertEquals("", new Shell(processor).run("kreset").transcript());
    }
}

package org.kvmosgi.console.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.InvocationTargetException;
import org.junit.Test;
import org.kvmosgi.console.api.CommandFailure;
import org.osgi.framework.BundleException;

public class ErrorsTest {

    @Test
    public void aCommandFailureIsItsMessageAloneWithItsStatus() {
        CommandFailure f = new CommandFailure("rmmod: ERROR: Module mod_exporter is in use by: mod_importer", 1);
        assertEquals("rmmod: ERROR: Module mod_exporter is in use by: mod_importer", Errors.describe(f));
        assertEquals(1, Errors.status(f));
        CommandFailure fatal = new CommandFailure("modprobe: FATAL: Module x not found in directory /lib/modules/6.13.0-kvmosgi", 1);
        assertEquals(fatal.getMessage(), Errors.describe(new InvocationTargetException(fatal)));
    }

    @Test
    public void aFailureStatusIsNeverZero() {
        assertEquals(1, Errors.status(new CommandFailure("x", 0)));
        assertEquals(3, Errors.status(new CommandFailure("x", 3)));
    }

    @Test
    public void anythingElseIsPrintedAsGogoDoes() {
        assertEquals("gogo: IllegalArgumentException: bad", Errors.describe(new IllegalArgumentException("bad")));
        assertEquals("gogo: NullPointerException: null", Errors.describe(new NullPointerException()));
        assertEquals(1, Errors.status(new IllegalStateException()));
    }

    @Test
    public void aStartFailureIsTheActivatorsOwnWords() {
        BundleException own = new BundleException("unknown host profile 'x'; known profiles: intel amd");
        assertEquals("unknown host profile 'x'; known profiles: intel amd", Errors.startFailure(own));
        BundleException wrapped = new BundleException("Activator start error in bundle kernel [14].",
                BundleException.ACTIVATOR_ERROR, own);
        assertEquals("unknown host profile 'x'; known profiles: intel amd", Errors.startFailure(wrapped));
        BundleException npe = new BundleException("Activator start error in bundle kernel [14].",
                BundleException.ACTIVATOR_ERROR, new NullPointerException("root"));
        assertEquals("NullPointerException: root", Errors.startFailure(npe));
        BundleException unresolved = new BundleException("Unable to resolve kernel [14](R 14.0): missing requirement",
                BundleException.RESOLVE_ERROR);
        assertEquals("Unable to resolve kernel [14](R 14.0): missing requirement", Errors.startFailure(unresolved));
    }
}

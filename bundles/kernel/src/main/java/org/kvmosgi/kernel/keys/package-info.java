/** The kernel's keyrings (certs/system_keyring.c): the keys module signatures are checked against. */
package org.kvmosgi.kernel.keys;

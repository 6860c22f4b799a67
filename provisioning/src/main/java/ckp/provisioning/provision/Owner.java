package ckp.provisioning.provision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/** File modes and owners for what provisioning writes: the service user must read its key, nobody else. */
final class Owner {
    private Owner() {
    }

    /** Sets the mode, and the owner when {@code user} exists on this machine (on a bench laptop it may not). */
    static void set(Path file, String mode, String user) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        if (user == null) {
            return;
        }
        try {
            var lookup = file.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(file, lookup.lookupPrincipalByName(user));
            setGroup(file, user);
        } catch (UserPrincipalNotFoundException absent) {
            // No service user here (not installed from the .deb): the file stays owned by whoever runs kioskctl.
        }
    }

    /** Sets the group when it exists, so the service user can read a root-owned file. */
    static void setGroup(Path file, String group) throws IOException {
        try {
            GroupPrincipal g = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(g);
        } catch (UserPrincipalNotFoundException absent) {
            // As above.
        }
    }
}

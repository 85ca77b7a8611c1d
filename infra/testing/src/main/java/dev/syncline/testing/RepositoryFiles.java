package dev.syncline.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository, for tests that read its documents: they run in their module's folder, below its root. */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /** The file at {@code relative} (such as {@code docs/api.md}) below the nearest folder, from here up, that has it. */
    public static Path find(String relative) {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path candidate = folder.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}

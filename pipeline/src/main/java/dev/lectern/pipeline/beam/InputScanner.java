package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.config.InputConfig;
import dev.lectern.pipeline.output.PathOrder;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the input folder: every regular file whose relative path matches an include glob and no exclude glob,
 * in {@link PathOrder}. Nothing that matches is dropped silently: a folder that cannot be read, a special file
 * (device, socket), a broken link or a link to a folder is listed with a problem and becomes an error record. A
 * link to a regular file is read like the file; links to folders are not followed, so cycles cannot happen.
 *
 * <p>Globs match the path relative to the input folder with forward slashes ({@code **}{@code /*.pdf},
 * {@code mail/*.eml}); a leading {@code **}{@code /} also matches at the top level, so {@code **}{@code /*.pdf}
 * takes {@code a.pdf} too.
 */
public final class InputScanner {

    private final Path root;
    private final boolean recursive;
    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;
    private final Set<Path> ignored;

    /** @param ignored absolute paths never listed (the job's own results, manifest and work folder) */
    public InputScanner(Path root, InputConfig config, Set<Path> ignored) {
        this.root = root.toAbsolutePath().normalize();
        this.recursive = config.recursive();
        this.include = matchers(config.include());
        this.exclude = matchers(config.exclude());
        this.ignored = ignored;
    }

    public List<InputFile> scan() throws IOException {
        List<InputFile> files = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), recursive ? Integer.MAX_VALUE : 1,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return ignored(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isDirectory() || ignored(file) || isTemporaryOfIgnored(file)) {
                            return FileVisitResult.CONTINUE;
                        }
                        String relative = relative(file);
                        if (!selected(relative)) {
                            return FileVisitResult.CONTINUE;
                        }
                        String problem = attrs.isRegularFile() ? null
                                : attrs.isSymbolicLink() ? linkProblem(file)
                                : "not a regular file (a device, pipe or socket)";
                        files.add(new InputFile(relative, file.toString(), attrs.size(), problem, null));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        String relative = relative(file);
                        if (!file.equals(root) && (selected(relative) || Files.isDirectory(file))) {
                            files.add(new InputFile(relative, file.toString(), 0,
                                    "cannot be read: " + describe(e), null));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        files.sort((a, b) -> PathOrder.compare(a.relativePath(), b.relativePath()));
        return files;
    }

    /** A link to a regular file is read like the file; a link to a folder is not followed (no cycles). */
    private static String linkProblem(Path link) {
        if (Files.isRegularFile(link)) {
            return null;
        }
        return Files.isDirectory(link) ? "a link to a folder; links to folders are not followed"
                : Files.exists(link) ? "a link to something that is not a regular file" : "a broken link";
    }

    private boolean ignored(Path path) {
        return ignored.contains(path.toAbsolutePath().normalize());
    }

    /** The temporary files the results writer leaves beside an ignored file while it works. */
    private boolean isTemporaryOfIgnored(Path file) {
        String name = file.getFileName().toString();
        return ignored.stream().anyMatch(p -> p.getParent() != null && p.getParent().equals(file.getParent())
                && name.startsWith("." + p.getFileName() + ".tmp-"));
    }

    private String relative(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private boolean selected(String relative) {
        Path path = Path.of(relative);
        return include.stream().anyMatch(m -> m.matches(path)) && exclude.stream().noneMatch(m -> m.matches(path));
    }

    private static List<PathMatcher> matchers(List<String> globs) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : globs) {
            PathMatcher full = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (glob.startsWith("**/")) {
                PathMatcher topLevel = FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3));
                matchers.add(p -> full.matches(p) || topLevel.matches(p));
            } else {
                matchers.add(full);
            }
        }
        return matchers;
    }

    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return switch (kind) {
            case "AccessDenied" -> "permission denied";
            case "NoSuchFile" -> "it disappeared";
            default -> e.getMessage() == null ? kind : e.getMessage();
        };
    }
}

package dev.researchmon.ml.maven;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.aether.ConfigurationProperties;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves artifacts with their transitive runtime dependencies, with Apache Maven Resolver (the
 * library inside Maven), from a local repository and remote ones.
 *
 * <pre>{@code
 * ArtifactResolver resolver = ArtifactResolver.mavenCentral();
 * List<ResolvedJar> jars = resolver.resolve(List.of(MavenCoordinates.parse("ai.djl:api:0.36.0")));
 * }</pre>
 */
public final class ArtifactResolver {

    /** Maven Central, as Maven itself names it. */
    public static final URI MAVEN_CENTRAL = URI.create("https://repo.maven.apache.org/maven2/");

    /** Long enough for a slow mirror, short enough that "no network" answers within a cell. */
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Path localRepository;
    private final List<URI> remoteRepositories;
    /** Built on first use: kernels that never say %maven do not pay for loading the resolver. */
    private RepositorySystem system;

    /**
     * @param localRepository    where downloads are kept and looked up first ({@code ~/.m2/repository})
     * @param remoteRepositories where to download from, in order
     */
    public ArtifactResolver(Path localRepository, List<URI> remoteRepositories) {
        this.localRepository = Objects.requireNonNull(localRepository, "localRepository");
        this.remoteRepositories = List.copyOf(remoteRepositories);
    }

    private synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }

    /** The user's local repository (Maven's {@code maven.repo.local} or {@code ~/.m2/repository}) and Maven Central. */
    public static ArtifactResolver mavenCentral() {
        String local = System.getProperty("maven.repo.local");
        Path localRepo = local != null && !local.isBlank()
                ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return new ArtifactResolver(localRepo, List.of(MAVEN_CENTRAL));
    }

    public Path localRepository() {
        return localRepository;
    }

    public List<URI> remoteRepositories() {
        return remoteRepositories;
    }

    /**
     * Resolves the artifacts together (one dependency graph, so versions are mediated once).
     *
     * @return every jar, the requested ones and their runtime dependencies, in class-path order
     * @throws ResolutionException saying which artifact is missing, or that a repository is unreachable
     */
    public List<ResolvedJar> resolve(List<MavenCoordinates> requested) throws ResolutionException {
        if (requested.isEmpty()) {
            return List.of();
        }
        List<RemoteRepository> remotes = new ArrayList<>();
        for (int i = 0; i < remoteRepositories.size(); i++) {
            URI uri = remoteRepositories.get(i);
            remotes.add(
                    new RemoteRepository.Builder(i == 0 ? "central" : "repo" + i, "default", uri.toString()).build());
        }
        CollectRequest collect = new CollectRequest();
        for (MavenCoordinates c : requested) {
            collect.addDependency(new Dependency(toArtifact(c), JavaScopes.RUNTIME));
        }
        collect.setRepositories(remotes);
        DependencyRequest request =
                new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        RepositorySystem system = system();
        try (CloseableSession session = newSession(system)) {
            DependencyResult result = system.resolveDependencies(session, request);
            List<ResolvedJar> jars = new ArrayList<>();
            for (ArtifactResult r : result.getArtifactResults()) {
                Artifact a = r.getArtifact();
                jars.add(new ResolvedJar(
                        new MavenCoordinates(a.getGroupId(), a.getArtifactId(), a.getVersion(), a.getClassifier()),
                        a.getPath()));
            }
            return List.copyOf(jars);
        } catch (Exception e) {
            throw explain(requested, e);
        }
    }

    private CloseableSession newSession(RepositorySystem system) {
        return new SessionBuilderSupplier(system)
                .get()
                .withLocalRepositoryBaseDirectories(localRepository)
                .setSystemProperties(System.getProperties())
                .setConfigProperty(ConfigurationProperties.CONNECT_TIMEOUT, CONNECT_TIMEOUT_MS)
                .build();
    }

    private static Artifact toArtifact(MavenCoordinates c) {
        return new DefaultArtifact(c.groupId(), c.artifactId(), c.classifier(), "jar", c.version());
    }

    /** Turns the resolver's nested exceptions into one sentence a notebook user can act on. */
    private ResolutionException explain(List<MavenCoordinates> requested, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException
                    || t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException) {
                return new ResolutionException(
                        "cannot reach " + remoteRepositories
                                + " (no network? " + t.getClass().getSimpleName() + ": " + t.getMessage()
                                + "); only artifacts already in " + localRepository + " can be used",
                        e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArtifactNotFoundException notFound) {
                Artifact a = notFound.getArtifact();
                return new ResolutionException(
                        "artifact not found: " + (a == null ? requested : a) + " is in neither " + localRepository
                                + " nor " + remoteRepositories,
                        e);
            }
        }
        return new ResolutionException("cannot resolve " + requested + ": " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}

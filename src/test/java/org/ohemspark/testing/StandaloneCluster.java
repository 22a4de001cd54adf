package org.ohemspark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster for tests: a master and {@code n} workers, each its own JVM on
 * 127.0.0.1, started from the jars of the test class path (no Spark distribution, no prior
 * {@code mvn package}). {@code SPARK_HOME} is a folder under the given directory whose
 * {@code jars/} links to those jars, as the workers' executor launcher expects; the JVM flags
 * are those of {@code jobs/lib/jvm-flags}. Executors are launched by the workers as child
 * processes.
 *
 * <pre>{@code
 * try (StandaloneCluster c = StandaloneCluster.start(tmp, 2)) {
 *   Process driver = c.submit(appJar, "org.ohemspark.job.OhemMineJob", List.of(), args);
 *   ... c.executorPids() ...
 * }
 * }</pre>
 *
 * Logs: {@code master.log}, {@code worker-N.log} and the executors' {@code work-N/app-.../}
 * under the directory.
 */
public final class StandaloneCluster implements AutoCloseable {
  private final Path dir;
  private final Path sparkHome;
  private final List<String> jvmFlags;
  private final int masterPort;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();

  private StandaloneCluster(Path dir, Path sparkHome, List<String> jvmFlags, int masterPort,
      Process master) {
    this.dir = dir;
    this.sparkHome = sparkHome;
    this.jvmFlags = jvmFlags;
    this.masterPort = masterPort;
    this.master = master;
  }

  /**
   * Starts a master and {@code workers} workers (1 core, 1 GiB each) and waits until every
   * worker has registered.
   *
   * @param dir an empty directory for SPARK_HOME, logs and work dirs (e.g. a JUnit
   *     {@code @TempDir})
   * @throws IllegalStateException if a daemon does not come up within 90 s (its log's tail is
   *     in the message); whatever started is stopped
   */
  public static StandaloneCluster start(Path dir, int workers) {
    try {
      Path sparkHome = dir.resolve("spark-home");
      Path jars = Files.createDirectories(sparkHome.resolve("jars"));
      for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        Path p = Paths.get(e);
        if (e.endsWith(".jar") && Files.isRegularFile(p)) {
          Path link = jars.resolve(p.getFileName());
          if (!Files.exists(link)) {
            Files.createSymbolicLink(link, p.toAbsolutePath());
          }
        }
      }
      Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
          "rootLogger.level = info", "rootLogger.appenderRef.stderr.ref = console",
          "appender.console.type = Console", "appender.console.name = console",
          "appender.console.target = SYSTEM_ERR", "appender.console.layout.type = PatternLayout",
          "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex", ""));
      List<String> flags = Files.readAllLines(projectRoot().resolve("jobs/lib/jvm-flags"))
          .stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
      int port = freePort();
      StandaloneCluster c = new StandaloneCluster(dir, sparkHome, flags, port,
          daemon(dir, sparkHome, flags, "master", "org.apache.spark.deploy.master.Master",
              "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port",
              Integer.toString(freePort())));
      try {
        c.waitForLog(dir.resolve("master.log"), "I have been elected leader");
        for (int w = 1; w <= workers; w++) {
          Path work = Files.createDirectories(dir.resolve("work-" + w));
          c.workers.add(daemon(dir, sparkHome, flags, "worker-" + w,
              "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
              "--webui-port", Integer.toString(freePort()), "--cores", "1", "--memory", "1g",
              "--work-dir", work.toString(), c.masterUrl()));
        }
        for (int w = 1; w <= workers; w++) {
          c.waitForLog(dir.resolve("worker-" + w + ".log"), "Successfully registered with master");
        }
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The directory holding SPARK_HOME, logs and work dirs. */
  public Path dir() {
    return dir;
  }

  public long masterPid() {
    return master.pid();
  }

  /** PIDs of the worker daemons, in start order. */
  public List<Long> workerPids() {
    return workers.stream().map(Process::pid).toList();
  }

  /** PIDs of the executor JVMs the workers are running now (their child processes). */
  public List<Long> executorPids() {
    List<Long> out = new ArrayList<>();
    for (Process w : workers) {
      w.toHandle().descendants().filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .forEach(h -> out.add(h.pid()));
    }
    return out;
  }

  /**
   * Starts {@code SparkSubmit} in client mode against this cluster as a child JVM (the driver),
   * with its output in {@code driver-<n>.log}.
   *
   * @param appJar the application jar (shipped to the executors)
   * @param sparkArgs further SparkSubmit options (e.g. {@code --conf k=v})
   * @param appArgs the application's arguments
   */
  public Process submit(Path appJar, String mainClass, List<String> sparkArgs,
      List<String> appArgs) throws IOException {
    return submit(appJar, mainClass, List.of("--deploy-mode", "client"), sparkArgs, appArgs);
  }

  /**
   * Starts {@code SparkSubmit} in cluster deploy mode against this cluster, as a child JVM with
   * its output in {@code driver-<n>.log}. With the master's REST server off (as here) SparkSubmit
   * uses the legacy submission client, which asks the master over RPC to start the driver on a
   * worker ({@code DriverWrapper}, with a 512 MiB heap, in {@code work-N/driver-<id>/}, its
   * output in {@code stdout} and {@code stderr} there) and, with
   * {@code spark.standalone.submit.waitAppCompletion}, ends when the driver has ended. It exits
   * with 0 whatever the driver's fate: read that with {@link #finishedDrivers()}.
   *
   * @param appJar the application jar (the worker copies it into the driver's directory)
   */
  public Process submitInClusterMode(Path appJar, String mainClass, List<String> sparkArgs,
      List<String> appArgs) throws IOException {
    return submit(appJar, mainClass, List.of("--deploy-mode", "cluster", "--driver-memory",
        "512m", "--conf", "spark.standalone.submit.waitAppCompletion=true"), sparkArgs, appArgs);
  }

  /**
   * The drivers (cluster deploy mode) the master has removed, by id, with their final state:
   * {@code FINISHED} (exit code 0), {@code FAILED} (another exit code), {@code ERROR} or
   * {@code KILLED}; read from the master's log.
   */
  public Map<String, String> finishedDrivers() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("Removing driver: (\\S+) \\((\\w+)")
        .matcher(Files.readString(dir.resolve("master.log"), StandardCharsets.UTF_8));
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  /** The directory a worker ran a driver in ({@code work-N/<driverId>}). */
  public Path driverDir(String driverId) throws IOException {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("work-"))
          .map(p -> p.resolve(driverId)).filter(Files::isDirectory).findFirst()
          .orElseThrow(() -> new IOException("no worker ran " + driverId + " under " + dir));
    }
  }

  private Process submit(Path appJar, String mainClass, List<String> deployArgs,
      List<String> sparkArgs, List<String> appArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.add("-Xmx1g");
    cmd.addAll(jvmFlags);
    cmd.add("-Dlog4j2.configurationFile=file:" + projectRoot().resolve("conf/log4j2.properties"));
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*",
        "org.apache.spark.deploy.SparkSubmit", "--master", masterUrl()));
    cmd.addAll(deployArgs);
    cmd.addAll(List.of("--conf", "spark.driver.host=127.0.0.1", "--conf",
        "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.ui.enabled=false", "--conf",
        "spark.executor.memory=768m", "--class", mainClass));
    cmd.addAll(sparkArgs);
    cmd.add(appJar.toString());
    cmd.addAll(appArgs);
    long n;
    try (var s = Files.list(dir)) {
      n = s.filter(p -> p.getFileName().toString().startsWith("driver-")).count();
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("driver-" + n + ".log").toFile());
    env(pb, sparkHome);
    return pb.start();
  }

  /**
   * Stops workers then the master: TERM, up to 10 s each, then KILL; executors die with them.
   * Removes the links of {@code SPARK_HOME/jars}; logs and work dirs stay.
   */
  @Override
  public void close() {
    List<Process> all = new ArrayList<>(workers);
    all.add(master);
    for (Process p : all) {
      List<ProcessHandle> children = p.toHandle().descendants().toList();
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }
    try (var links = Files.list(sparkHome.resolve("jars"))) {
      for (Path l : links.toList()) {
        Files.deleteIfExists(l);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checkout's root (Maven's basedir). */
  public static Path projectRoot() {
    return Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
  }

  private static Process daemon(Path dir, Path sparkHome, List<String> flags, String name,
      String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.add("-Xmx512m");
    cmd.addAll(flags);
    cmd.add("-Dspark.master.rest.enabled=false");
    cmd.add("-Dlog4j2.configurationFile=file:" + dir.resolve("log4j2.properties"));
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", main));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    env(pb, sparkHome);
    return pb.start();
  }

  private static void env(ProcessBuilder pb, Path sparkHome) {
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
  }

  private void waitForLog(Path log, String text) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
          return;
        }
        Thread.sleep(200);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("'" + text + "' did not appear in " + log + ":\n"
        + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String javaBin() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

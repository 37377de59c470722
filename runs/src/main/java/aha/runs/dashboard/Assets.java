package aha.runs.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's pages, scripts and styles, and uPlot from its webjar, read from the classpath
 * into memory when the server starts. Only these paths are served: there is no file system path
 * behind a URL to traverse.
 */
final class Assets {

  /** Our pages, under this classpath folder. */
  static final String PAGES = "aha/dashboard/";

  private static final String UPLOT_POM =
      "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  /** One file to serve. */
  record Asset(byte[] bytes, String contentType, boolean versioned) {}

  private final Map<String, Asset> byPath;

  private Assets(Map<String, Asset> byPath) {
    this.byPath = byPath;
  }

  /**
   * Reads every asset.
   *
   * @throws IOException naming the resource that is missing from the classpath
   */
  static Assets load() throws IOException {
    Map<String, Asset> byPath = new LinkedHashMap<>();
    for (String page :
        new String[] {
          "index.html", "run.html", "samples.html", "problems.html",
          "app.css", "common.js", "index.js", "run.js", "samples.js", "problems.js",
        }) {
      byPath.put("/" + page, new Asset(read(PAGES + page), contentType(page), false));
    }
    String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    for (String file : new String[] {"uPlot.iife.min.js", "uPlot.min.css"}) {
      byPath.put("/vendor/uplot/" + file, new Asset(read(uplot + file), contentType(file), true));
    }
    byPath.put("/", byPath.get("/index.html"));
    return new Assets(Map.copyOf(byPath));
  }

  /** The asset at a request path, or null. */
  Asset get(String path) {
    return byPath.get(path);
  }

  private static String uplotVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = open(UPLOT_POM)) {
      properties.load(in);
    }
    String version = properties.getProperty("version");
    if (version == null) {
      throw new IOException(UPLOT_POM + ": no version");
    }
    return version;
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = open(resource)) {
      return in.readAllBytes();
    }
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IOException("dashboard resource missing from the classpath: " + resource);
    }
    return in;
  }

  private static String contentType(String file) {
    if (file.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (file.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (file.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    throw new IllegalArgumentException("no content type for " + file);
  }
}

// Builds the local web page's browser code and assets (src/web/). Filled in by the web page work.

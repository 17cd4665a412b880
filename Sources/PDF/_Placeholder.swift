// The PDF module: see the helpers' work.

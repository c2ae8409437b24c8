"""Assessment pages, all under /wilayah/<code>/asesmen/."""

"""From a published file to stored chunks: readers -> parse -> decisions -> chunk -> pipeline."""

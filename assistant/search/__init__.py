"""Finding agenda items: filters from the question, hybrid retrieval, reranking, case timelines."""

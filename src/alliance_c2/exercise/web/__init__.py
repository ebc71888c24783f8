"""The exercise service on the web: the FastAPI application, its routes, pages and event stream."""

"""The web service: FastAPI app (:func:`graph_service.api.app.create_app`), one router per resource."""

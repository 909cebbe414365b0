"""The schema documents the error answers: every operation refers to the one Error shape."""
import pytest
from drf_spectacular.generators import SchemaGenerator

from core.api.schema import ERROR_ANSWERS

pytestmark = pytest.mark.django_db


def test_every_operation_documents_its_error_answers():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert schema["components"]["schemas"]["Error"]["required"] == ["message", "code", "errors", "codes"]
    operations = [(method, operation) for item in schema["paths"].values() for method, operation in item.items()]
    assert operations
    for method, operation in operations:
        expected = set(ERROR_ANSWERS) - ({"409"} if method == "get" else set())
        assert expected <= set(operation["responses"]), (operation["operationId"], sorted(operation["responses"]))
        for status_code in expected:
            content = operation["responses"][status_code].get("content", {})
            assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (
                operation["operationId"], status_code)

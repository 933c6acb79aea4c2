"""The web server's entry point."""

import os
import subprocess
import sys


def test_a_server_process_loads_its_views_and_word_dictionary_before_its_first_request(
    tmp_path,
):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, hotline.wsgi; from hotline.core.text_words import _tokenizer;"
            " print(_tokenizer.cache_info().currsize, 'hotline.workforce.views' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HOTLINE_DATA_DIR": str(tmp_path)},
    )
    assert result.stdout.split() == ["1", "True"]

"""In-page JavaScript the pixel-measuring tests share: a plot drawn to a canvas."""

# A function declaration to put at the start of an evaluated function's body.
PAINTED = """async function painted(element) {
  const url = await Plotly.toImage(element, {format: 'png', width: element.clientWidth, height: element.clientHeight});
  const image = new Image();
  await new Promise((resolve) => { image.onload = resolve; image.src = url; });
  const canvas = document.createElement('canvas');
  canvas.width = image.width; canvas.height = image.height;
  const paint = canvas.getContext('2d');
  paint.drawImage(image, 0, 0);
  return {paint, canvas, url};
}"""

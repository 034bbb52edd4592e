export default function templates(template) {
  return {

  };
}

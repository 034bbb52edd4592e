export default function templates(template) {
  return {
    t0: template({"0":function(container,depth0,helpers,partials,data) {
    return "!";
},"1":function(container,depth0,helpers,partials,data) {
    return ".";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "Hello, "
    + ((stack1 = container.lambda((depth0 != null ? lookupProperty(depth0,"name") : depth0), depth0)) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(depth0 != null ? depth0 : (container.nullContext || {}),(depth0 != null ? lookupProperty(depth0,"excited") : depth0),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.program(1, data, 0),"data":data,"loc":{"start":{"line":1,"column":15},"end":{"line":1,"column":47}}})) != null ? stack1 : "");
},"useData":true}),
    t1: template({"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, alias1=container.lambda, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "Review this "
    + ((stack1 = alias1((depth0 != null ? lookupProperty(depth0,"language") : depth0), depth0)) != null ? stack1 : "")
    + " code:\n"
    + ((stack1 = alias1((depth0 != null ? lookupProperty(depth0,"code") : depth0), depth0)) != null ? stack1 : "");
},"useData":true})
  };
}

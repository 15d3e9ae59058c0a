-- Cameras at private places (place_types.is_private: 宾馆客房, 集体宿舍, 更衣室 …), where the
-- 公共安全视频图像信息系统管理条例 forbids them: the camera's own place (place_id) is one,
-- or the camera lies inside such a place's footprint or within $1 metres of its position.
-- Private places are few, so each is compared with every camera near it.
SELECT c.id AS "cameraId",
       p.id AS "placeId",
       p.name AS "placeName",
       pt.name AS "typeName",
       c.place_id IS NOT DISTINCT FROM p.id AS "ownPlace",
       coalesce(ST_Intersects(p.footprint, c.geom), false) AS inside,
       ST_Distance(p.geom::geography, c.geom::geography)::float8 AS "distanceM"
FROM places p
JOIN place_types pt ON pt.code = p.place_type AND pt.is_private
JOIN cameras c ON c.place_id = p.id
               OR (p.footprint IS NOT NULL AND c.geom && p.footprint AND ST_Intersects(p.footprint, c.geom))
               OR (c.geom && ST_Expand(p.geom, $2::float8) AND ST_DWithin(p.geom::geography, c.geom::geography, $1::float8))
ORDER BY c.id, 5 DESC, 6 DESC, 7, p.id
